CREATE TABLE `campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`newsletter_slug` text NOT NULL,
	`subject` text NOT NULL,
	`audience` text DEFAULT '{"states":[],"roles":[],"topics":[]}' NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`scheduled_at` text,
	`started_at` text,
	`finished_at` text,
	`paused_reason` text,
	`html_body` text,
	`text_body` text,
	`created_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `campaigns_status_idx` ON `campaigns` (`status`);--> statement-breakpoint
CREATE TABLE `event_registrations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_slug` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`state` text,
	`role` text,
	`status` text DEFAULT 'registered' NOT NULL,
	`cancel_token_hash` text NOT NULL,
	`attended` integer,
	`day_reminder_queued_at` text,
	`hour_reminder_queued_at` text,
	`created_at` text NOT NULL,
	`cancelled_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `event_registrations_once` ON `event_registrations` (`event_slug`,`email`);--> statement-breakpoint
CREATE INDEX `event_registrations_event_idx` ON `event_registrations` (`event_slug`);--> statement-breakpoint
CREATE TABLE `mail_rate_counters` (
	`key` text PRIMARY KEY NOT NULL,
	`count` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `subscribers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`state` text,
	`role` text,
	`topics` text DEFAULT '[]' NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`confirm_token_hash` text,
	`confirm_sent_at` text,
	`confirmed_at` text,
	`unsubscribed_at` text,
	`source` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `subscribers_email_unique` ON `subscribers` (`email`);--> statement-breakpoint
CREATE INDEX `subscribers_status_idx` ON `subscribers` (`status`);--> statement-breakpoint
CREATE TABLE `suppressions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`reason` text NOT NULL,
	`campaign_id` integer,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_email_unique` ON `suppressions` (`email`);--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `campaign_id` integer;--> statement-breakpoint
ALTER TABLE `outbox_messages` ADD `subscriber_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_messages_one_delivery_per_recipient` ON `outbox_messages` (`campaign_id`,`subscriber_id`) WHERE "outbox_messages"."campaign_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `outbox_messages_campaign_idx` ON `outbox_messages` (`campaign_id`,`status`);