/** Shapes of the console's API responses, as the pages use them. */

export interface QueueRow {
  id: number;
  subject: string;
  requesterName: string;
  requesterEmail: string;
  state: string | null;
  category: string;
  priority: string;
  status: string;
  channel: string;
  assignee: { id: number; name: string } | null;
  updatedAt: string;
  nextDueAt: string | null;
  sla: 'breached' | 'soon' | null;
}

export interface QueuePage {
  tickets: QueueRow[];
  nextCursor: string | null;
}

export interface QueueCounts {
  queues: Record<'open' | 'unassigned' | 'mine' | 'breaching' | 'pending', number>;
  byState: { state: string; count: number }[];
  byCategory: { category: string; count: number }[];
}

export interface StaffMember {
  id: number;
  name: string;
  email: string;
  role: string;
  available: boolean;
  openTicketCap: number;
  openTickets: number;
  /** When round-robin or an assignment by hand last gave this person a ticket. */
  lastAssignedAt: string | null;
}

export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface BulkResult {
  ticketId: number;
  outcome: 'changed' | 'unchanged' | 'skipped';
  changes: FieldChange[];
  message?: string;
}

export interface CannedResponse {
  id: number;
  title: string;
  body: string;
  updatedAt: string;
}
