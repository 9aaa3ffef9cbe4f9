-- The tables of the desk and records parts were created by hand-written migrations 0007 to 0014; this
-- migration records them in the drizzle-kit snapshot and adds the index the records access log reads by.
CREATE INDEX `audit_log_object_idx` ON `audit_log` (`object_type`,`object_id`);
