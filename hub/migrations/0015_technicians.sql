-- Technicians' accounts for service mode, issued by the hub instead of one shared PIN: each technician's
-- PIN kept only as an argon2 hash; a revoked account stays for the audit. Terminals get the signed list of
-- the accounts not revoked with their settings.
CREATE TABLE technicians (
    number TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    pin_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    operator TEXT NOT NULL,
    revoked_ms BIGINT
);
