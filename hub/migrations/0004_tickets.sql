-- Queue tickets: one counter per hall, service and day; every ticket kept.
CREATE TABLE ticket_counters (
    hall TEXT NOT NULL,
    service TEXT NOT NULL,
    day TEXT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (hall, service, day)
);

CREATE TABLE tickets (
    hall TEXT NOT NULL,
    service TEXT NOT NULL,
    day TEXT NOT NULL,
    number BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    issued_ms BIGINT NOT NULL,
    called_ms BIGINT,
    PRIMARY KEY (hall, service, day, number)
);
