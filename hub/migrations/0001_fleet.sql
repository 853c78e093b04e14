-- One schema for SQLite and PostgreSQL: TEXT, BIGINT and INTEGER only; ids and times are made by the hub.
CREATE TABLE enrol_codes (
    code_hash TEXT PRIMARY KEY,
    hall TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    used_ms BIGINT
);

CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    hall TEXT NOT NULL,
    credential_hash TEXT NOT NULL,
    enrolled_ms BIGINT NOT NULL,
    last_beat_ms BIGINT,
    devices_json TEXT NOT NULL DEFAULT '{}',
    outbox_depth BIGINT NOT NULL DEFAULT 0,
    software_version TEXT NOT NULL DEFAULT '',
    config_version BIGINT NOT NULL DEFAULT 0,
    catalogue_version BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

INSERT INTO settings (name, value) VALUES ('config_version', 0);
INSERT INTO settings (name, value) VALUES ('catalogue_version', 0);
