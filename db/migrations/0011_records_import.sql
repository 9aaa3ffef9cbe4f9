CREATE TABLE `record_upload_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`batch_id` text NOT NULL,
	`file_name` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`uploaded_by` integer NOT NULL,
	`received_at` text NOT NULL,
	`upload_id` integer,
	FOREIGN KEY (`uploaded_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`upload_id`) REFERENCES `record_uploads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `record_upload_files_batch_name_unique` ON `record_upload_files` (`batch_id`,`file_name`);--> statement-breakpoint
CREATE TABLE `record_import_staging` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`upload_id` integer NOT NULL,
	`file` text NOT NULL,
	`line` integer NOT NULL,
	`state_student_id` text NOT NULL,
	`cells` text NOT NULL,
	`cell_count` integer NOT NULL,
	FOREIGN KEY (`upload_id`) REFERENCES `record_uploads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `record_import_staging_student_idx` ON `record_import_staging` (`upload_id`,`state_student_id`);--> statement-breakpoint
CREATE TABLE `record_upload_progress` (
	`upload_id` integer PRIMARY KEY NOT NULL,
	`phase` text NOT NULL,
	`bytes_total` integer DEFAULT 0 NOT NULL,
	`bytes_read` integer DEFAULT 0 NOT NULL,
	`students_total` integer DEFAULT 0 NOT NULL,
	`students_checked` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`upload_id`) REFERENCES `record_uploads`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `record_upload_completeness` (
	`upload_id` integer NOT NULL,
	`element` text NOT NULL,
	`applicable` integer NOT NULL,
	`supplied` integer NOT NULL,
	PRIMARY KEY(`upload_id`, `element`),
	FOREIGN KEY (`upload_id`) REFERENCES `record_uploads`(`id`) ON UPDATE no action ON DELETE no action
);
