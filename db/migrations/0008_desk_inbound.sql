-- Inbound support mail needs no tables of its own: it writes tickets, messages and Message-IDs
-- through the ticket services. The statement keeps this migration valid.
SELECT 1;
