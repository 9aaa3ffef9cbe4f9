CREATE TABLE `ticket_uploads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` text NOT NULL,
	`attachment_id` integer,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`attachment_id`) REFERENCES `ticket_attachments`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_uploads_person_idx` ON `ticket_uploads` (`person_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ticket_visitor_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`token_hash` text NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`state` text NOT NULL,
	`subject` text NOT NULL,
	`category` text NOT NULL,
	`body_text` text NOT NULL,
	`draft_id` text,
	`idempotency_key` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`confirmed_at` text,
	`ticket_id` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_visitor_requests_token_unique` ON `ticket_visitor_requests` (`token_hash`);--> statement-breakpoint
CREATE INDEX `ticket_visitor_requests_expires_idx` ON `ticket_visitor_requests` (`expires_at`);--> statement-breakpoint
CREATE TABLE `ticket_surveys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`token_hash` text NOT NULL,
	`sent_at` text NOT NULL,
	`answered_at` text,
	`rating` integer,
	`comment` text,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_surveys_ticket_unique` ON `ticket_surveys` (`ticket_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_surveys_token_unique` ON `ticket_surveys` (`token_hash`);--> statement-breakpoint
CREATE INDEX `ticket_surveys_answered_idx` ON `ticket_surveys` (`answered_at`);--> statement-breakpoint
CREATE TABLE `faq_suggestion_drafts` (
	`draft_id` text PRIMARY KEY NOT NULL,
	`opened_at` text NOT NULL,
	`faq_slug` text NOT NULL,
	`openings` integer DEFAULT 1 NOT NULL,
	`filed_at` text,
	`ticket_id` integer,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `faq_suggestion_drafts_opened_idx` ON `faq_suggestion_drafts` (`opened_at`);--> statement-breakpoint
CREATE TABLE `ticket_automatic_openings` (
	`ticket_id` integer PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
