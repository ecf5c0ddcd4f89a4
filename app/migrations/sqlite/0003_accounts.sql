-- Accounts. The phone and identity numbers are never stored in clear: each is sealed
-- (XChaCha20-Poly1305) for reading back, and keyed-hashed (HMAC-SHA-256) for uniqueness and
-- look-ups. Sessions are stored by the SHA-256 of their token.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    role                TEXT NOT NULL,
    scope               TEXT,
    name                TEXT NOT NULL,
    phone_mac           BLOB NOT NULL UNIQUE,
    phone_sealed        BLOB NOT NULL,
    id_mac              BLOB UNIQUE,
    id_sealed           BLOB,
    birth_date          TEXT,
    sex                 TEXT,
    password_hash       TEXT NOT NULL,
    groups              TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash   BLOB PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins, by keyed hash of the phone number or of the client address.
CREATE TABLE login_throttle (
    key          BLOB PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    lockouts     INTEGER NOT NULL DEFAULT 0
);

-- Staff access to a person's data, and other acts that must be traceable.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor_id   INTEGER,
    action     TEXT NOT NULL,
    subject_id INTEGER,
    detail     TEXT
);
CREATE INDEX audit_subject ON audit_log (subject_id);
