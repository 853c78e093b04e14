-- Remote configuration and commands from the operators' console. Settings are published for everyone
-- (scope '*'), a hall ('hall:NAME') or one terminal ('terminal:ID'), each a JSON body of the settings it
-- sets; publishing raises settings.config_version, which every terminal sees at its next beat. A terminal
-- reports the settings it refused with its beats. Commands gain who asked and the terminal's answer (a
-- screenshot's PNG kept as base64 text, one form for SQLite and PostgreSQL). Every operator's change is
-- in operations_audit.
CREATE TABLE remote_settings (
    scope TEXT PRIMARY KEY,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    operator TEXT NOT NULL,
    changed_ms BIGINT NOT NULL
);

CREATE TABLE operations_audit (
    id TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    operator TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX operations_audit_at ON operations_audit (at_ms);

ALTER TABLE commands ADD COLUMN operator TEXT;
ALTER TABLE commands ADD COLUMN done_ms BIGINT;
ALTER TABLE commands ADD COLUMN ok INTEGER;
ALTER TABLE commands ADD COLUMN result TEXT;
ALTER TABLE commands ADD COLUMN png TEXT;

ALTER TABLE devices ADD COLUMN config_refused_json TEXT NOT NULL DEFAULT '[]';
