-- 自助申报: the e-licence library (免证办), pages of materials by their content's SHA-256, and the
-- applications terminals sent (one row an application id; its 申报编号 is the case's number).
-- A holder is kept as a peppered hash of the ID number, as cases are.
CREATE TABLE elicences (
    holder TEXT NOT NULL,
    kind TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    number TEXT NOT NULL,
    issuer_zh TEXT NOT NULL,
    issuer_en TEXT NOT NULL,
    PRIMARY KEY (holder, kind)
);

CREATE TABLE pages (
    sha256 TEXT PRIMARY KEY,
    bytes BIGINT NOT NULL,
    content BYTEA NOT NULL,
    received_ms BIGINT NOT NULL
);

CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    device_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    body TEXT NOT NULL,
    received_ms BIGINT NOT NULL
);
