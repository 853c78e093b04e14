-- The operators' console: what a beat tells beyond device states (the terminal's interval, its oldest
-- waiting record, print jobs of unknown outcome, its clock's skew against the hub's), and the alerts it
-- raised, each with when it started (JSON: kind → {since_ms, detail}), kept across beats so a fault that
-- lasts keeps its first time.
ALTER TABLE devices ADD COLUMN interval_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN oldest_waiting_ms BIGINT;
ALTER TABLE devices ADD COLUMN unknown_prints BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN clock_skew_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE devices ADD COLUMN alerts_json TEXT NOT NULL DEFAULT '{}';
