CREATE TABLE `desk_agent_settings` (
	`person_id` integer PRIMARY KEY NOT NULL,
	`available` integer DEFAULT false NOT NULL,
	`open_ticket_cap` integer DEFAULT 25 NOT NULL,
	`last_assigned_at` text,
	`assignment_sequence` integer,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `desk_agent_settings_available_idx` ON `desk_agent_settings` (`available`,`assignment_sequence`);--> statement-breakpoint
CREATE TABLE `desk_canned_responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`body` text NOT NULL,
	`created_by` integer,
	`updated_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `desk_canned_responses_title_unique` ON `desk_canned_responses` (`title`);--> statement-breakpoint
-- Full-text search of the console over ticket subjects and message bodies (internal notes included,
-- because only desk staff search). Both are external-content FTS5 tables kept current by the triggers
-- below, so the text is stored once. Hand-written: drizzle-kit does not generate virtual tables or triggers.
CREATE VIRTUAL TABLE `ticket_subject_fts` USING fts5(
	subject,
	content = 'tickets',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `ticket_message_fts` USING fts5(
	body_text,
	content = 'ticket_messages',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
--> statement-breakpoint
INSERT INTO `ticket_subject_fts` (`ticket_subject_fts`) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO `ticket_message_fts` (`ticket_message_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_insert` AFTER INSERT ON `tickets`
BEGIN
	INSERT INTO `ticket_subject_fts` (rowid, subject) VALUES (new.id, new.subject);
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_delete` AFTER DELETE ON `tickets`
BEGIN
	INSERT INTO `ticket_subject_fts` (`ticket_subject_fts`, rowid, subject) VALUES ('delete', old.id, old.subject);
END;
--> statement-breakpoint
CREATE TRIGGER `tickets_fts_update` AFTER UPDATE OF `subject` ON `tickets`
BEGIN
	INSERT INTO `ticket_subject_fts` (`ticket_subject_fts`, rowid, subject) VALUES ('delete', old.id, old.subject);
	INSERT INTO `ticket_subject_fts` (rowid, subject) VALUES (new.id, new.subject);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_fts_insert` AFTER INSERT ON `ticket_messages`
BEGIN
	INSERT INTO `ticket_message_fts` (rowid, body_text) VALUES (new.id, new.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_fts_delete` AFTER DELETE ON `ticket_messages`
BEGIN
	INSERT INTO `ticket_message_fts` (`ticket_message_fts`, rowid, body_text) VALUES ('delete', old.id, old.body_text);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_fts_update` AFTER UPDATE OF `body_text` ON `ticket_messages`
BEGIN
	INSERT INTO `ticket_message_fts` (`ticket_message_fts`, rowid, body_text) VALUES ('delete', old.id, old.body_text);
	INSERT INTO `ticket_message_fts` (rowid, body_text) VALUES (new.id, new.body_text);
END;
--> statement-breakpoint
-- Indexes of the console's queue listing on the core tickets table (hand-written, like the FTS tables above).
-- The partial ones repeat the queries' WHERE terms exactly, unary plus included: the plus keeps the
-- planner off tickets_status_idx, which would make it sort every open ticket for one page.
CREATE INDEX `tickets_updated_idx` ON `tickets` (`updated_at`, `id`);
--> statement-breakpoint
CREATE INDEX `tickets_active_updated_idx` ON `tickets` (`updated_at`, `id`)
	WHERE +`status` IN ('new', 'open', 'pending', 'on_hold');
--> statement-breakpoint
CREATE INDEX `tickets_unassigned_updated_idx` ON `tickets` (`updated_at`, `id`)
	WHERE +`assignee_id` IS NULL AND +`status` IN ('new', 'open', 'pending', 'on_hold');
--> statement-breakpoint
CREATE INDEX `tickets_active_due_idx` ON `tickets` (
	coalesce(CASE WHEN `first_response_at` IS NULL AND `first_response_due_at` IS NOT NULL
		THEN min(`first_response_due_at`, coalesce(`resolution_due_at`, `first_response_due_at`))
		ELSE `resolution_due_at` END, '9999-12-31T23:59:59.999Z'),
	`id`
) WHERE +`status` IN ('new', 'open', 'pending', 'on_hold');
