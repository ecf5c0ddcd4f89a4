-- Verified groups. A group that brings money or entry is a claim the trainee declares with its
-- evidence and the HR officer of the city where they live verifies or rejects (with a reason).
-- Membership and evidence are sensitive personal information: the group and the evidence are
-- sealed (XChaCha20-Poly1305); `group_mac` (keyed hash of the account and the group) keeps one
-- open claim per person and group. Nothing here says which group a row is about without the
-- key. A rejected claim stays (a document rejected once is not taken again from the person).
CREATE TABLE group_claims (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    group_mac       BLOB NOT NULL,
    group_sealed    BLOB NOT NULL,
    evidence_sealed BLOB,
    -- declared | verified | rejected | removed
    status          TEXT NOT NULL,
    reason          TEXT,
    -- the version of the separate-consent text (PIPL 单独同意) the person agreed to
    consent_version TEXT,
    declared_at     TEXT NOT NULL,
    decided_by      INTEGER,
    decided_at      TEXT,
    -- when the person removed the group, or put a rejected one aside
    ended_at        TEXT
);
CREATE UNIQUE INDEX group_claims_open ON group_claims (user_id, group_mac)
    WHERE status IN ('declared', 'verified');
CREATE INDEX group_claims_user ON group_claims (user_id);
CREATE INDEX group_claims_status ON group_claims (status, id);

-- The city the person lives in: its HR officer verifies their groups.
ALTER TABLE users ADD COLUMN residence_city TEXT;
CREATE INDEX users_residence_city ON users (residence_city);
