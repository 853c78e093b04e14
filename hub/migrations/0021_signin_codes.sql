-- 亮码: the government app's stand-in (the phone page /id/{token}) and the codes the terminals took.
-- An app account names its holder (the app's real-name registration): the code it shows carries the ID
-- number and name, so the hub keeps them; the token is kept only as its hash, `holder` is the peppered
-- hash the privacy commands find a person by.
CREATE TABLE citizen_apps (
    token_hash TEXT PRIMARY KEY,
    holder TEXT NOT NULL UNIQUE,
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
-- Each code is taken once: its nonce, the terminal that took it, and until when it could have been shown
-- (rows past that are of no more use and are swept).
CREATE TABLE used_codes (
    nonce TEXT PRIMARY KEY,
    device_id TEXT NOT NULL,
    used_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
