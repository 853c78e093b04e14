-- Remote guidance (远程导办): staff accounts, their logins, and help sessions. The relay keeps only
-- per-connection state in memory; what several hub processes must agree on lives here.
CREATE TABLE staff (
    username TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    number TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE staff_logins (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);

-- state: waiting (in the queue), active (a staff member took it), ended.
CREATE TABLE assist_sessions (
    session_id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    hall TEXT NOT NULL,
    screen TEXT NOT NULL,
    problem TEXT,
    lang TEXT NOT NULL,
    state TEXT NOT NULL,
    connected INTEGER NOT NULL,
    staff_user TEXT,
    requested_ms BIGINT NOT NULL,
    accepted_ms BIGINT,
    ended_ms BIGINT,
    ended_by TEXT
);

CREATE INDEX assist_sessions_state ON assist_sessions (state, requested_ms);
CREATE INDEX assist_sessions_device ON assist_sessions (device_id, state);
