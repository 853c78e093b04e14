-- A terminal's credential rotated without enrolling again: the new one's hash waits here until the terminal
-- first presents it, then replaces credential_hash (the old one is refused from then on).
ALTER TABLE devices ADD COLUMN next_credential_hash TEXT;
-- Case queries a terminal made that matched nothing, counted in a window: a terminal that tries many case
-- numbers is slowed (and the operators told) however many numbers it spreads its tries over.
ALTER TABLE devices ADD COLUMN missed_queries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN missed_since_ms BIGINT NOT NULL DEFAULT 0;
