-- Named counters that hand out numbers in order inside the writer's
-- transaction: an inquiry's reference (INQ-2026-000123) takes the next
-- number of "inquiries-2026".  A counter is created at its first use.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
