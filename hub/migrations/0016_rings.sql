-- Update rings: a terminal's ring (empty: none; `canary` for the first to take a new version), set by an
-- operator; settings published for `ring:NAME` lie between everyone's and the hall's.
ALTER TABLE devices ADD COLUMN ring TEXT NOT NULL DEFAULT '';
