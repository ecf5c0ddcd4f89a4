-- Revocation and correction of certificates, and recovery (追回) of money paid on what was
-- undone. A certificate is `valid` or `revoked` (with the reason, who and when); a revoked one
-- stays, for the auditor and for the answer "revoked" to its verification.
ALTER TABLE certificates ADD COLUMN status TEXT NOT NULL DEFAULT 'valid';
ALTER TABLE certificates ADD COLUMN status_reason TEXT;
ALTER TABLE certificates ADD COLUMN status_by INTEGER;
ALTER TABLE certificates ADD COLUMN status_at TEXT;

-- One recovery a paid claim: `due` until the HR officer marks it `recovered` or `waived`
-- (with a reason, who and when). `cause` says what undid the claim (`certificate_revoked`,
-- `enrollment_voided`, `attendance_voided`, `claim_stopped`), `cause_reason` the words given.
-- The person is kept as on the claim (account and identity hash), the city and institution
-- for their consoles.
CREATE TABLE recoveries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    claim_id     INTEGER NOT NULL UNIQUE REFERENCES subsidy_claims (id),
    user_id      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    person_mac   BLOB,
    city         TEXT NOT NULL,
    institution  TEXT NOT NULL,
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    cause        TEXT NOT NULL,
    cause_reason TEXT NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT,
    opened_by    INTEGER,
    created_at   TEXT NOT NULL,
    decided_by   INTEGER,
    decided_at   TEXT
);
CREATE INDEX recoveries_city ON recoveries (city, status);
CREATE INDEX recoveries_institution ON recoveries (institution, status);
CREATE INDEX recoveries_user ON recoveries (user_id);
