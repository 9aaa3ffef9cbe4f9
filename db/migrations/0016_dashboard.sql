CREATE TABLE `dashboard_figures` (
	`metric` text NOT NULL,
	`state` text NOT NULL,
	`quarter` text NOT NULL,
	`value` real,
	`sample` integer NOT NULL,
	PRIMARY KEY(`metric`, `state`, `quarter`)
);
--> statement-breakpoint
CREATE INDEX `dashboard_figures_quarter_idx` ON `dashboard_figures` (`quarter`,`metric`);--> statement-breakpoint
CREATE TABLE `dashboard_flows` (
	`year` integer NOT NULL,
	`from_state` text NOT NULL,
	`to_state` text NOT NULL,
	`children` integer NOT NULL,
	PRIMARY KEY(`year`, `from_state`, `to_state`)
);
--> statement-breakpoint
CREATE INDEX `dashboard_flows_to_idx` ON `dashboard_flows` (`year`,`to_state`);--> statement-breakpoint
CREATE TABLE `usage_counts` (
	`event` text NOT NULL,
	`quarter` text NOT NULL,
	`state` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`event`, `quarter`, `state`)
);
--> statement-breakpoint
CREATE TABLE `usage_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`occurred_at` text NOT NULL,
	`event` text NOT NULL,
	`state` text,
	`role` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_events_occurred_idx` ON `usage_events` (`occurred_at`);--> statement-breakpoint
-- Each usage event adds one to its kind, calendar quarter (UTC) and state in usage_counts.
CREATE TRIGGER `usage_events_count_insert` AFTER INSERT ON `usage_events`
BEGIN
	INSERT INTO `usage_counts` (`event`, `quarter`, `state`, `count`)
	VALUES (
		NEW.`event`,
		substr(NEW.`occurred_at`, 1, 4) || '-Q' || ((CAST(substr(NEW.`occurred_at`, 6, 2) AS INTEGER) + 2) / 3),
		coalesce(NEW.`state`, ''),
		1
	)
	ON CONFLICT (`event`, `quarter`, `state`) DO UPDATE SET `count` = `count` + 1;
END;
