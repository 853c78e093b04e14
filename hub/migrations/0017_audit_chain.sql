-- The hub's audit trail as one append-only hash chain (hub/src/audit.rs): each record holds the hash of the
-- one before it; audit_head holds the last number and hash (one row), updated first by every append so
-- appenders take turns. The operations audit's earlier records are moved into the chain when the hub starts.
CREATE TABLE audit_chain (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_chain_action ON audit_chain (action, seq);

CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
