CREATE TABLE `desk_sla_targets` (
	`priority` text PRIMARY KEY NOT NULL,
	`first_response_minutes` integer NOT NULL,
	`resolution_minutes` integer NOT NULL,
	`updated_at` text,
	`updated_by` integer,
	FOREIGN KEY (`updated_by`) REFERENCES `people`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
-- Default targets in business minutes: urgent 1 h / 8 h, high 4 h / 24 h, normal 8 h / 40 h, low 16 h / 80 h.
INSERT INTO `desk_sla_targets` (`priority`, `first_response_minutes`, `resolution_minutes`) VALUES
	('urgent', 60, 480),
	('high', 240, 1440),
	('normal', 480, 2400),
	('low', 960, 4800);
