CREATE TABLE `crosswalk_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`state` text NOT NULL,
	`mde_file` text NOT NULL,
	`mde_column` text NOT NULL,
	`source_system` text DEFAULT '' NOT NULL,
	`owning_office` text DEFAULT '' NOT NULL,
	`collection_status` text,
	`notes` text DEFAULT '' NOT NULL,
	`updated_by` integer,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`state`) REFERENCES `program_states`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `crosswalk_entries_state_mde_unique` ON `crosswalk_entries` (`state`,`mde_file`,`mde_column`);--> statement-breakpoint
CREATE TABLE `milestone_updates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`milestone_id` integer NOT NULL,
	`update_date` text NOT NULL,
	`narrative` text NOT NULL,
	`status` text NOT NULL,
	`percent_complete` integer NOT NULL,
	`author_id` integer,
	`created_at` text NOT NULL,
	FOREIGN KEY (`milestone_id`) REFERENCES `plan_milestones`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `milestone_updates_milestone_idx` ON `milestone_updates` (`milestone_id`);--> statement-breakpoint
CREATE TABLE `plan_goals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plan_id` integer NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `plan_goals_plan_idx` ON `plan_goals` (`plan_id`);--> statement-breakpoint
CREATE TABLE `plan_milestones` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`objective_id` integer NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	`owner_person_id` integer,
	`owner_role` text,
	`due_date` text NOT NULL,
	`status` text DEFAULT 'not_started' NOT NULL,
	`percent_complete` integer DEFAULT 0 NOT NULL,
	`last_progress_at` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`objective_id`) REFERENCES `plan_objectives`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_person_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "plan_milestones_percent_range" CHECK("plan_milestones"."percent_complete" BETWEEN 0 AND 100),
	CONSTRAINT "plan_milestones_one_owner" CHECK(("plan_milestones"."owner_person_id" IS NULL) <> ("plan_milestones"."owner_role" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `plan_milestones_objective_idx` ON `plan_milestones` (`objective_id`);--> statement-breakpoint
CREATE INDEX `plan_milestones_due_idx` ON `plan_milestones` (`due_date`);--> statement-breakpoint
CREATE TABLE `plan_objectives` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`goal_id` integer NOT NULL,
	`position` integer NOT NULL,
	`title` text NOT NULL,
	FOREIGN KEY (`goal_id`) REFERENCES `plan_goals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `plan_objectives_goal_idx` ON `plan_objectives` (`goal_id`);--> statement-breakpoint
CREATE TABLE `plan_reminders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`subject_key` text NOT NULL,
	`reference` text NOT NULL,
	`recipient_id` integer,
	`queued_at` text NOT NULL,
	FOREIGN KEY (`recipient_id`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plan_reminders_once` ON `plan_reminders` (`kind`,`subject_key`,`reference`,`recipient_id`);--> statement-breakpoint
CREATE TABLE `planning_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`state` text NOT NULL,
	`session_date` text NOT NULL,
	`place` text NOT NULL,
	`participants` text NOT NULL,
	`findings` text NOT NULL,
	`created_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`state`) REFERENCES `program_states`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `planning_sessions_state_idx` ON `planning_sessions` (`state`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`state` text NOT NULL,
	`title` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`is_current` integer NOT NULL,
	`origin` text NOT NULL,
	`copied_from_plan_id` integer,
	`created_by` integer,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`state`) REFERENCES `program_states`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "plans_period_order" CHECK("plans"."period_end" > "plans"."period_start")
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plans_one_current_per_state` ON `plans` (`state`) WHERE "plans"."is_current" = 1;--> statement-breakpoint
CREATE INDEX `plans_state_idx` ON `plans` (`state`);--> statement-breakpoint
CREATE TABLE `program_states` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`participating` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `session_recommendations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`position` integer NOT NULL,
	`text` text NOT NULL,
	`milestone_id` integer,
	FOREIGN KEY (`session_id`) REFERENCES `planning_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`milestone_id`) REFERENCES `plan_milestones`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `session_recommendations_session_idx` ON `session_recommendations` (`session_id`);