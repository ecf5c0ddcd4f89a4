-- A city's own subsidy numbers (subsidy::rules::Policy). A city without a row pays the
-- province's defaults; `peixun set-policy` writes a row.
CREATE TABLE subsidy_policies (
    city                    TEXT PRIMARY KEY,
    employed_percent        INTEGER NOT NULL CHECK (employed_percent BETWEEN 0 AND 100),
    certified_percent       INTEGER NOT NULL CHECK (certified_percent BETWEEN 0 AND 100),
    special_ability_percent INTEGER NOT NULL CHECK (special_ability_percent BETWEEN 0 AND 100),
    living_allowance_fen    INTEGER NOT NULL CHECK (living_allowance_fen >= 0),
    updated_at              TEXT NOT NULL
);

-- "这不是我": a person disputes an enrolment, attendance or claim made in their name. The
-- city's HR officers see and resolve them. One open dispute per record.
CREATE TABLE disputes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    kind        TEXT NOT NULL,
    subject_id  INTEGER NOT NULL,
    city        TEXT NOT NULL,
    title       TEXT NOT NULL,
    note        TEXT,
    status      TEXT NOT NULL,
    resolution  TEXT,
    resolved_by INTEGER,
    created_at  TEXT NOT NULL,
    resolved_at TEXT
);
CREATE UNIQUE INDEX disputes_one_open ON disputes (user_id, kind, subject_id) WHERE status = 'open';
CREATE INDEX disputes_city ON disputes (city, status);
CREATE INDEX subsidy_claims_city ON subsidy_claims (city, status);
