-- A terminal's id for one tap on "take a ticket": asked again with the same id (its answer was lost on the
-- way), the same ticket comes back instead of a second one nobody holds.
ALTER TABLE tickets ADD COLUMN request_id TEXT;
CREATE UNIQUE INDEX tickets_request ON tickets (device_id, request_id);
