-- Text messages to phones (SMS), kept until the gateway has taken them: a text is never lost
-- to a crash or an outage, and never sent again once the gateway said yes. The phone and the
-- parameters (a code, say) are sealed; `phone_mac` counts a phone's texts.
CREATE TABLE texts (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    phone_mac       BLOB NOT NULL,
    phone_sealed    BLOB NOT NULL,
    template        TEXT NOT NULL,
    params_sealed   BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    queued_at       INTEGER NOT NULL,
    -- pending | sent | expired (not delivered while it still mattered)
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    -- a sender holds the text until then: two instances never send it at once
    leased_until    INTEGER NOT NULL DEFAULT 0,
    sent_at         TEXT,
    last_error      TEXT
);
CREATE INDEX texts_due ON texts (status, next_attempt_at);
CREATE INDEX texts_phone ON texts (phone_mac, queued_at);

-- Codes texted to a phone (sign-up, password reset, a new phone, a staff sign-in). Only a
-- keyed hash of the code is kept. Every request is a row, with or without a code (a phone
-- that already has an account is told so instead), so the limits count them all.
CREATE TABLE phone_codes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    phone_mac    BLOB NOT NULL,
    client_mac   BLOB NOT NULL,
    purpose      TEXT NOT NULL,
    code_hash    BLOB,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    tries        INTEGER NOT NULL DEFAULT 0,
    used_at      INTEGER
);
CREATE INDEX phone_codes_phone ON phone_codes (phone_mac, purpose, id);
CREATE INDEX phone_codes_client ON phone_codes (client_mac, created_at);
