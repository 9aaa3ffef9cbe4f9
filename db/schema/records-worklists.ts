// Tables of the records worklists: merge and split requests, retired MSIX IDs, near-match decisions and move notices.
// db/migrations/0014_records_worklists.sql creates the same tables; keep the two in step.
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { people } from './people';
import { consolidatedRecords, students } from './records';

export const changeRequestKinds = ['merge', 'split'] as const;
export type ChangeRequestKind = (typeof changeRequestKinds)[number];

/** pending: waiting for a second data administrator; validated: applied; declined: nothing changed. */
export const changeRequestStatuses = ['pending', 'validated', 'declined'] as const;
export type ChangeRequestStatus = (typeof changeRequestStatuses)[number];

/**
 * A merge of two consolidated records, or a split of one state's student out
 * of a consolidated record into a new one. It takes effect only when a second
 * data administrator, not the requester, validates it.
 */
export const recordChangeRequests = sqliteTable(
  'record_change_requests',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: changeRequestKinds }).notNull(),
    status: text('status', { enum: changeRequestStatuses }).notNull(),
    /** The record that stays (merge) or that the student leaves (split). */
    consolidatedRecordId: integer('consolidated_record_id')
      .notNull()
      .references(() => consolidatedRecords.id),
    /** Merge only: the record joined into the first one, which is then retired. */
    otherConsolidatedRecordId: integer('other_consolidated_record_id').references(() => consolidatedRecords.id),
    /** Split only: the state's student that leaves the record. */
    studentId: integer('student_id').references(() => students.id),
    /** MSIX IDs as they were when the request was made, so the history reads the same after the change. */
    msixId: text('msix_id').notNull(),
    otherMsixId: text('other_msix_id'),
    /** Merge only: the near match whose confirmation started this merge, if any. */
    nearMatchId: integer('near_match_id'),
    /** Split only: the new record created when the split took effect. */
    resultConsolidatedRecordId: integer('result_consolidated_record_id').references(() => consolidatedRecords.id),
    reason: text('reason').notNull(),
    requestedBy: integer('requested_by')
      .notNull()
      .references(() => people.id),
    requestedAt: text('requested_at').notNull(),
    decidedBy: integer('decided_by').references(() => people.id),
    decidedAt: text('decided_at'),
    decisionComment: text('decision_comment'),
    /** When the aging job escalated the request; it escalates each request once. */
    escalatedAt: text('escalated_at'),
  },
  (table) => [
    index('record_change_requests_status_idx').on(table.status, table.requestedAt),
    index('record_change_requests_record_idx').on(table.consolidatedRecordId),
    index('record_change_requests_other_record_idx').on(table.otherConsolidatedRecordId),
    index('record_change_requests_near_match_idx').on(table.nearMatchId),
  ],
);

/** The states whose records a change request touches; their data administrators see and validate it. */
export const recordChangeRequestStates = sqliteTable(
  'record_change_request_states',
  {
    requestId: integer('request_id')
      .notNull()
      .references(() => recordChangeRequests.id),
    state: text('state').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.requestId, table.state] }),
    index('record_change_request_states_state_idx').on(table.state),
  ],
);

/**
 * MSIX IDs of consolidated records emptied by a merge, with the record that
 * took their students, so an old MSIX ID still leads to the child.
 */
export const retiredMsixIds = sqliteTable(
  'retired_msix_ids',
  {
    msixId: text('msix_id').primaryKey(),
    consolidatedRecordId: integer('consolidated_record_id')
      .notNull()
      .references(() => consolidatedRecords.id),
    successorRecordId: integer('successor_record_id')
      .notNull()
      .references(() => consolidatedRecords.id),
    /** The change request or near-match decision that retired it. */
    changeRequestId: integer('change_request_id').references(() => recordChangeRequests.id),
    nearMatchId: integer('near_match_id'),
    retiredAt: text('retired_at').notNull(),
  },
  (table) => [
    index('retired_msix_ids_record_idx').on(table.consolidatedRecordId),
    index('retired_msix_ids_successor_idx').on(table.successorRecordId),
  ],
);

/**
 * The comment a data administrator gave when confirming or rejecting a near
 * match. A confirmation that joins two records also opens a merge request.
 */
export const nearMatchDecisions = sqliteTable(
  'near_match_decisions',
  {
    nearMatchId: integer('near_match_id').primaryKey(),
    decision: text('decision', { enum: ['confirmed', 'rejected'] }).notNull(),
    comment: text('comment').notNull(),
    decidedBy: integer('decided_by')
      .notNull()
      .references(() => people.id),
    decidedAt: text('decided_at').notNull(),
    /** Confirmed only: the consolidated record both students belong to afterwards. */
    consolidatedRecordId: integer('consolidated_record_id').references(() => consolidatedRecords.id),
  },
  (table) => [index('near_match_decisions_decided_idx').on(table.decidedAt)],
);

export const moveNoticeStatuses = ['sent', 'acknowledged'] as const;
export type MoveNoticeStatus = (typeof moveNoticeStatuses)[number];

/** One state telling another that a child is moving there. */
export const moveNotices = sqliteTable(
  'move_notices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    consolidatedRecordId: integer('consolidated_record_id')
      .notNull()
      .references(() => consolidatedRecords.id),
    /** The MSIX ID the sender used. */
    msixId: text('msix_id').notNull(),
    /** USPS code of the sender's state; null when national staff sent it. */
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    toCity: text('to_city'),
    /** YYYY-MM-DD. */
    expectedArrivalDate: text('expected_arrival_date').notNull(),
    comment: text('comment'),
    status: text('status', { enum: moveNoticeStatuses }).notNull(),
    sentBy: integer('sent_by')
      .notNull()
      .references(() => people.id),
    sentAt: text('sent_at').notNull(),
    acknowledgedBy: integer('acknowledged_by').references(() => people.id),
    acknowledgedAt: text('acknowledged_at'),
    acknowledgementNote: text('acknowledgement_note'),
    /** Whole minutes from sent to acknowledged, in calendar time. */
    responseMinutes: integer('response_minutes'),
  },
  (table) => [
    index('move_notices_to_state_idx').on(table.toState, table.sentAt),
    index('move_notices_from_state_idx').on(table.fromState, table.sentAt),
    index('move_notices_sent_at_idx').on(table.sentAt),
    index('move_notices_record_idx').on(table.consolidatedRecordId),
  ],
);
