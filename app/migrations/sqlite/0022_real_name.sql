-- The province's unified identity service (OpenID Connect). An account it vouched for is
-- real-name verified; `oidc_subject_mac` (keyed hash of the issuer and its subject) finds it
-- at the next sign-in. A phone proved with a texted code (or asserted by the service) is
-- verified. A frozen account signs nobody in, pending an in-person check.
ALTER TABLE users ADD COLUMN real_name_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN oidc_subject_mac BLOB;
ALTER TABLE users ADD COLUMN phone_verified INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN frozen_at TEXT;
CREATE UNIQUE INDEX users_oidc_subject ON users (oidc_subject_mac);

-- A sign-in with the service under way: its state (by hash), nonce and PKCE verifier
-- (sealed), for ten minutes; each used once.
CREATE TABLE oidc_logins (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    state_hash      BLOB NOT NULL UNIQUE,
    nonce           TEXT NOT NULL,
    verifier_sealed BLOB NOT NULL,
    created_at      INTEGER NOT NULL
);

-- What the service asserted (sealed), kept for ten minutes while the person chooses between
-- linking the account that holds their number and reclaiming it; the browser holds the token.
CREATE TABLE real_name_choices (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash    BLOB NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    claims_sealed BLOB NOT NULL,
    created_at    INTEGER NOT NULL
);

-- 冒用身份: an identity number used by an account that was not its owner's, found when the
-- owner reclaimed it (`reclaimed`) or reported by someone (`reported`). The city's HR officer
-- sees what was made under the account and may freeze it pending an in-person check.
CREATE TABLE identity_cases (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id               INTEGER REFERENCES users (id) ON DELETE SET NULL,
    city                  TEXT NOT NULL,
    source                TEXT NOT NULL,
    status                TEXT NOT NULL,
    reporter_name_sealed  BLOB,
    reporter_phone_sealed BLOB,
    reporter_client_mac   BLOB,
    enrollments           INTEGER NOT NULL DEFAULT 0,
    claims                INTEGER NOT NULL DEFAULT 0,
    certificates          INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL,
    created_secs          INTEGER NOT NULL,
    decided_by            INTEGER,
    decided_at            TEXT,
    note                  TEXT
);
CREATE INDEX identity_cases_city ON identity_cases (city, id);
CREATE INDEX identity_cases_client ON identity_cases (reporter_client_mac, created_secs);
