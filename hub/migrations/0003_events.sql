-- Records from terminals, stored once per (terminal, event id) however often they are sent.
CREATE TABLE events (
    device_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    occurred_ms BIGINT NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (device_id, event_id)
);
