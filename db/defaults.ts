/** Where the embedded SQLite database lives when DATABASE_PATH is not set. */
export const defaultDatabasePath = 'data/msix-assist.sqlite';
