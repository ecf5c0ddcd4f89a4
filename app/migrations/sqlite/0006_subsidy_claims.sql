-- Subsidy claims for certificates. A rejected claim does not count and may be made again;
-- any other claim blocks a second one for the same certificate.
CREATE TABLE subsidy_claims (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id),
    city           TEXT NOT NULL,
    occupation     TEXT NOT NULL,
    level          TEXT NOT NULL,
    year           INTEGER NOT NULL,
    percent        INTEGER NOT NULL,
    amount_fen     INTEGER NOT NULL CHECK (amount_fen >= 0),
    status         TEXT NOT NULL,
    reason         TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX subsidy_claims_one_per_certificate ON subsidy_claims (certificate_id)
    WHERE status != 'rejected';
CREATE INDEX subsidy_claims_user ON subsidy_claims (user_id, year);

CREATE TABLE subsidy_claim_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id INTEGER NOT NULL REFERENCES subsidy_claims (id) ON DELETE CASCADE,
    at       TEXT NOT NULL,
    status   TEXT NOT NULL,
    actor    TEXT NOT NULL,
    reason   TEXT
);
CREATE INDEX subsidy_claim_events_claim ON subsidy_claim_events (claim_id);
