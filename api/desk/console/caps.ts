/**
 * Limits of an agent's cap of open tickets, which round-robin respects. This
 * module imports nothing, so the console's pages can use it in the browser.
 */

/** Smallest cap an admin can set. */
export const minOpenTicketCap = 1;
/** Largest cap an admin can set. */
export const maxOpenTicketCap = 500;
