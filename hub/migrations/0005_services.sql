-- The hub's own secrets, made at first start: its signing key's seed and the pepper of holder keys (hex).
CREATE TABLE secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Cases (办件). A holder is kept as a peppered hash of the ID number, never the number itself; the
-- last-six factor is hashed with the case number.
CREATE TABLE cases (
    case_no TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    tail TEXT NOT NULL,
    service_id TEXT NOT NULL,
    service_zh TEXT NOT NULL,
    service_en TEXT NOT NULL,
    hall TEXT NOT NULL,
    applicant TEXT NOT NULL,
    state TEXT NOT NULL,
    submitted_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    promised_on TEXT NOT NULL,
    timeline TEXT NOT NULL,
    failed_tries BIGINT NOT NULL DEFAULT 0,
    tries_since_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX cases_by_holder ON cases (holder);

-- Printable documents of a holder, unsigned JSON (signed when claimed).
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    issuer TEXT NOT NULL,
    body TEXT NOT NULL,
    issued_ms BIGINT NOT NULL
);
CREATE INDEX documents_by_holder ON documents (holder);

-- Copies a day per document kind.
CREATE TABLE reprint_policies (
    kind TEXT PRIMARY KEY,
    per_day BIGINT NOT NULL
);
INSERT INTO reprint_policies (kind, per_day) VALUES ('licence', 3);
INSERT INTO reprint_policies (kind, per_day) VALUES ('record', 5);
INSERT INTO reprint_policies (kind, per_day) VALUES ('receipt', 3);
INSERT INTO reprint_policies (kind, per_day) VALUES ('ticket', 1);

-- Print claims: one row a copy; outcome NULL until the terminal reports it (printed, failed, unknown).
CREATE TABLE claims (
    claim_id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    day TEXT NOT NULL,
    claimed_ms BIGINT NOT NULL,
    outcome TEXT,
    reported_ms BIGINT
);
CREATE INDEX claims_by_document_day ON claims (document_id, day);

-- Ratings (好差评): one per case; ratings without a case keyed by their event.
CREATE TABLE ratings (
    rating_key TEXT PRIMARY KEY,
    case_no TEXT,
    service TEXT NOT NULL,
    level BIGINT NOT NULL,
    tags TEXT NOT NULL,
    device_id TEXT NOT NULL,
    hall TEXT NOT NULL,
    occurred_ms BIGINT NOT NULL
);

-- Commands for a terminal, handed out with its next heartbeat (once).
CREATE TABLE commands (
    id BIGINT PRIMARY KEY,
    device_id TEXT NOT NULL,
    command TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    delivered_ms BIGINT
);
CREATE INDEX commands_pending ON commands (device_id, delivered_ms);
