-- Published catalogues: every version kept; the newest is served.
CREATE TABLE catalogues (
    version BIGINT PRIMARY KEY,
    body TEXT NOT NULL,
    etag TEXT NOT NULL,
    published_ms BIGINT NOT NULL
);
