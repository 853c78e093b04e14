-- 手机扫码上传: a one-time page for the citizen's phone, bound to the terminal, its session and one
-- material, valid for ten minutes. The token is kept only as its hash; the photos go to `pages`.
CREATE TABLE uploads (
    token_hash TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    session TEXT NOT NULL,
    material TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    max_pages BIGINT NOT NULL,
    pages TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    done_ms BIGINT
);
