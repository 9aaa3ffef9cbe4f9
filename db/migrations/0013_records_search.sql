CREATE TABLE `record_search_keys` (
	`key` text NOT NULL,
	`student_id` integer NOT NULL,
	PRIMARY KEY(`key`, `student_id`),
	FOREIGN KEY (`student_id`) REFERENCES `students`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `record_search_keys_student_idx` ON `record_search_keys` (`student_id`);--> statement-breakpoint
CREATE TABLE `record_search_terms` (
	`variant` text NOT NULL,
	`term` text NOT NULL,
	PRIMARY KEY(`variant`, `term`)
);
