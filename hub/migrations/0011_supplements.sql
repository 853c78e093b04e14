-- 补正 at the terminal: what a citizen supplied for an application the review desk asked more of, kept beside
-- the application as first taken (the reviewer sees the new pages beside the old). Idempotent on the
-- terminal's id, as applications are; `case_no` is the application it completes (a bundle's parent: its
-- parts waiting for 补正 move on with it).
CREATE TABLE supplements (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    case_no TEXT NOT NULL,
    device_id TEXT NOT NULL,
    body TEXT NOT NULL,
    received_ms BIGINT NOT NULL
);
CREATE INDEX supplements_case ON supplements (case_no, received_ms);
