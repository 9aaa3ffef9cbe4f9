CREATE TABLE `record_change_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`consolidated_record_id` integer NOT NULL,
	`other_consolidated_record_id` integer,
	`student_id` integer,
	`msix_id` text NOT NULL,
	`other_msix_id` text,
	`near_match_id` integer,
	`result_consolidated_record_id` integer,
	`reason` text NOT NULL,
	`requested_by` integer NOT NULL,
	`requested_at` text NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`decision_comment` text,
	`escalated_at` text,
	FOREIGN KEY (`consolidated_record_id`) REFERENCES `consolidated_records`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`other_consolidated_record_id`) REFERENCES `consolidated_records`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`student_id`) REFERENCES `students`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`result_consolidated_record_id`) REFERENCES `consolidated_records`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`requested_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `record_change_requests_status_idx` ON `record_change_requests` (`status`,`requested_at`);--> statement-breakpoint
CREATE INDEX `record_change_requests_record_idx` ON `record_change_requests` (`consolidated_record_id`);--> statement-breakpoint
CREATE INDEX `record_change_requests_other_record_idx` ON `record_change_requests` (`other_consolidated_record_id`);--> statement-breakpoint
CREATE INDEX `record_change_requests_near_match_idx` ON `record_change_requests` (`near_match_id`);--> statement-breakpoint
CREATE TABLE `record_change_request_states` (
	`request_id` integer NOT NULL,
	`state` text NOT NULL,
	PRIMARY KEY(`request_id`, `state`),
	FOREIGN KEY (`request_id`) REFERENCES `record_change_requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `record_change_request_states_state_idx` ON `record_change_request_states` (`state`);--> statement-breakpoint
CREATE TABLE `retired_msix_ids` (
	`msix_id` text PRIMARY KEY NOT NULL,
	`consolidated_record_id` integer NOT NULL,
	`successor_record_id` integer NOT NULL,
	`change_request_id` integer,
	`near_match_id` integer,
	`retired_at` text NOT NULL,
	FOREIGN KEY (`consolidated_record_id`) REFERENCES `consolidated_records`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`successor_record_id`) REFERENCES `consolidated_records`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`change_request_id`) REFERENCES `record_change_requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `retired_msix_ids_record_idx` ON `retired_msix_ids` (`consolidated_record_id`);--> statement-breakpoint
CREATE INDEX `retired_msix_ids_successor_idx` ON `retired_msix_ids` (`successor_record_id`);--> statement-breakpoint
CREATE TABLE `near_match_decisions` (
	`near_match_id` integer PRIMARY KEY NOT NULL,
	`decision` text NOT NULL,
	`comment` text NOT NULL,
	`decided_by` integer NOT NULL,
	`decided_at` text NOT NULL,
	`consolidated_record_id` integer,
	FOREIGN KEY (`decided_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consolidated_record_id`) REFERENCES `consolidated_records`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `near_match_decisions_decided_idx` ON `near_match_decisions` (`decided_at`);--> statement-breakpoint
CREATE TABLE `move_notices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`consolidated_record_id` integer NOT NULL,
	`msix_id` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`to_city` text,
	`expected_arrival_date` text NOT NULL,
	`comment` text,
	`status` text NOT NULL,
	`sent_by` integer NOT NULL,
	`sent_at` text NOT NULL,
	`acknowledged_by` integer,
	`acknowledged_at` text,
	`acknowledgement_note` text,
	`response_minutes` integer,
	FOREIGN KEY (`consolidated_record_id`) REFERENCES `consolidated_records`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`sent_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`acknowledged_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `move_notices_to_state_idx` ON `move_notices` (`to_state`,`sent_at`);--> statement-breakpoint
CREATE INDEX `move_notices_from_state_idx` ON `move_notices` (`from_state`,`sent_at`);--> statement-breakpoint
CREATE INDEX `move_notices_sent_at_idx` ON `move_notices` (`sent_at`);--> statement-breakpoint
CREATE INDEX `move_notices_record_idx` ON `move_notices` (`consolidated_record_id`);
