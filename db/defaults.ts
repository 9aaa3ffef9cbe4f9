/** Path of the embedded SQLite database when DATABASE_PATH is not set. */
export const defaultDatabasePath = 'data/msix-assist.sqlite';
