CREATE TABLE `ticket_attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`ticket_message_id` integer,
	`file_name` text NOT NULL,
	`content_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_message_id`) REFERENCES `ticket_messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_attachments_ticket_idx` ON `ticket_attachments` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `ticket_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`actor_id` integer,
	`type` text NOT NULL,
	`from_value` text,
	`to_value` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`actor_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_events_ticket_idx` ON `ticket_events` (`ticket_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ticket_mail_ids` (
	`message_id` text PRIMARY KEY NOT NULL,
	`ticket_id` integer NOT NULL,
	`ticket_message_id` integer,
	`direction` text NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_message_id`) REFERENCES `ticket_messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_mail_ids_ticket_idx` ON `ticket_mail_ids` (`ticket_id`);--> statement-breakpoint
CREATE TABLE `ticket_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`visibility` text NOT NULL,
	`author_type` text NOT NULL,
	`author_id` integer,
	`author_email` text,
	`author_name` text NOT NULL,
	`channel` text NOT NULL,
	`body_text` text NOT NULL,
	`body_html` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ticket_messages_ticket_idx` ON `ticket_messages` (`ticket_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ticket_participants` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ticket_id` integer NOT NULL,
	`email` text NOT NULL,
	`person_id` integer,
	`role` text NOT NULL,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_participants_unique` ON `ticket_participants` (`ticket_id`,`email`);--> statement-breakpoint
CREATE INDEX `ticket_participants_email_idx` ON `ticket_participants` (`email`);--> statement-breakpoint
CREATE TABLE `tickets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`requester_id` integer,
	`requester_email` text NOT NULL,
	`requester_name` text NOT NULL,
	`state` text,
	`category` text NOT NULL,
	`priority` text DEFAULT 'normal' NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`channel` text NOT NULL,
	`assignee_id` integer,
	`merged_into_id` integer,
	`idempotency_key` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`first_response_at` text,
	`solved_at` text,
	`closed_at` text,
	`first_response_due_at` text,
	`resolution_due_at` text,
	`sla_paused_at` text,
	`sla_paused_minutes` integer DEFAULT 0 NOT NULL,
	`first_response_minutes` integer,
	`resolution_minutes` integer,
	`first_response_warned_at` text,
	`resolution_warned_at` text,
	FOREIGN KEY (`requester_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickets_idempotency_unique` ON `tickets` (`requester_email`,`idempotency_key`) WHERE "tickets"."idempotency_key" IS NOT NULL;--> statement-breakpoint
CREATE INDEX `tickets_status_idx` ON `tickets` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_assignee_idx` ON `tickets` (`assignee_id`,`status`);--> statement-breakpoint
CREATE INDEX `tickets_state_idx` ON `tickets` (`state`,`status`);--> statement-breakpoint
CREATE INDEX `tickets_category_idx` ON `tickets` (`category`,`status`);--> statement-breakpoint
CREATE INDEX `tickets_requester_idx` ON `tickets` (`requester_email`);--> statement-breakpoint
CREATE INDEX `tickets_created_idx` ON `tickets` (`created_at`);--> statement-breakpoint
CREATE TABLE `assessments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`student_id` integer NOT NULL,
	`assessment_title` text NOT NULL,
	`assessment_content` text NOT NULL,
	`assessment_type` text NOT NULL,
	`administration_date` text NOT NULL,
	`reporting_method` text,
	`score` text NOT NULL,
	`interpretation` text,
	FOREIGN KEY (`student_id`) REFERENCES `students`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `assessments_student_idx` ON `assessments` (`student_id`);--> statement-breakpoint
CREATE TABLE `consolidated_records` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`msix_id` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `consolidated_records_msix_id_unique` ON `consolidated_records` (`msix_id`);--> statement-breakpoint
CREATE TABLE `courses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`student_id` integer NOT NULL,
	`school_id` text,
	`course_title` text NOT NULL,
	`subject_area` text NOT NULL,
	`course_type` text,
	`begin_year` integer NOT NULL,
	`end_year` integer NOT NULL,
	`course_section` text,
	`term_type` text,
	`clock_hours` real,
	`grade_to_date` text,
	`credits_granted` real,
	`final_grade` text,
	FOREIGN KEY (`student_id`) REFERENCES `students`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `courses_student_idx` ON `courses` (`student_id`);--> statement-breakpoint
CREATE TABLE `enrollments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`student_id` integer NOT NULL,
	`enrollment_date` text NOT NULL,
	`enrollment_type` text NOT NULL,
	`school_or_project_name` text NOT NULL,
	`school_id` text,
	`district_id` text,
	`district_name` text,
	`facility_city` text,
	`facility_state` text,
	`grade_level` text NOT NULL,
	`withdrawal_date` text,
	`english_learner` integer,
	`iep` integer,
	`priority_for_services` integer,
	`immunization_record` integer,
	`med_alert` text,
	`residency_date` text,
	`graduation_hse` text,
	`graduation_hse_date` text,
	`comment` text,
	FOREIGN KEY (`student_id`) REFERENCES `students`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `enrollments_student_idx` ON `enrollments` (`student_id`);--> statement-breakpoint
CREATE TABLE `qualifying_moves` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`student_id` integer NOT NULL,
	`qad` text NOT NULL,
	`from_city` text NOT NULL,
	`from_state` text,
	`from_country` text,
	`to_city` text NOT NULL,
	`to_state` text NOT NULL,
	`eligibility_expiration_date` text NOT NULL,
	FOREIGN KEY (`student_id`) REFERENCES `students`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `qualifying_moves_student_idx` ON `qualifying_moves` (`student_id`);--> statement-breakpoint
CREATE INDEX `qualifying_moves_qad_idx` ON `qualifying_moves` (`qad`);--> statement-breakpoint
CREATE TABLE `record_uploads` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`state` text NOT NULL,
	`uploaded_by` integer,
	`source` text NOT NULL,
	`file_names` text NOT NULL,
	`files_sha256` text NOT NULL,
	`status` text NOT NULL,
	`rejection_message` text,
	`students_received` integer DEFAULT 0 NOT NULL,
	`students_accepted` integer DEFAULT 0 NOT NULL,
	`students_rejected` integer DEFAULT 0 NOT NULL,
	`students_unchanged` integer DEFAULT 0 NOT NULL,
	`quality_score` real,
	`started_at` text NOT NULL,
	`finished_at` text,
	FOREIGN KEY (`uploaded_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `record_uploads_state_idx` ON `record_uploads` (`state`,`started_at`);--> statement-breakpoint
CREATE TABLE `students` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`state` text NOT NULL,
	`state_student_id` text NOT NULL,
	`consolidated_record_id` integer,
	`state_student_id_type` text,
	`first_name` text NOT NULL,
	`middle_name` text,
	`last_name_1` text NOT NULL,
	`last_name_2` text,
	`suffix` text,
	`sex` text NOT NULL,
	`birth_date` text NOT NULL,
	`birth_date_verification` text,
	`multiple_birth` integer NOT NULL,
	`birth_city` text,
	`birth_state` text,
	`birth_country` text,
	`parent1_first_name` text,
	`parent1_last_name` text,
	`parent2_first_name` text,
	`parent2_last_name` text,
	`parent1_email` text,
	`parent1_phone` text,
	`parent2_email` text,
	`parent2_phone` text,
	`content_sha256` text NOT NULL,
	`last_upload_id` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`consolidated_record_id`) REFERENCES `consolidated_records`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`last_upload_id`) REFERENCES `record_uploads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `students_state_id_unique` ON `students` (`state`,`state_student_id`);--> statement-breakpoint
CREATE INDEX `students_consolidated_idx` ON `students` (`consolidated_record_id`);--> statement-breakpoint
CREATE INDEX `students_birth_date_idx` ON `students` (`birth_date`);--> statement-breakpoint
CREATE TABLE `upload_problems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`upload_id` integer NOT NULL,
	`file` text NOT NULL,
	`line` integer,
	`column` text,
	`value` text,
	`rule` text NOT NULL,
	`message` text NOT NULL,
	`state_student_id` text,
	`severity` text NOT NULL,
	FOREIGN KEY (`upload_id`) REFERENCES `record_uploads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `upload_problems_upload_idx` ON `upload_problems` (`upload_id`);