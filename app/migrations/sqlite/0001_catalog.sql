-- The demand catalogue. Dates are ISO text (YYYY-MM-DD), money is whole fen.
CREATE TABLE courses (
    code             TEXT PRIMARY KEY,
    title            TEXT NOT NULL,
    occupation       TEXT NOT NULL,
    occupation_code  TEXT,
    industry         TEXT NOT NULL,
    city             TEXT NOT NULL,
    district         TEXT,
    institution_code TEXT NOT NULL,
    institution      TEXT NOT NULL,
    evaluation_org   TEXT,
    level            TEXT NOT NULL,
    certificate_type TEXT NOT NULL,
    class_format     TEXT NOT NULL,
    class_type       TEXT NOT NULL,
    -- 'all', or the group codes wrapped in ';' (';veteran;graduate;') so one LIKE finds a code
    groups           TEXT NOT NULL,
    min_age          INTEGER,
    max_age          INTEGER,
    hours            INTEGER NOT NULL,
    start_date       TEXT NOT NULL,
    end_date         TEXT NOT NULL,
    enroll_deadline  TEXT NOT NULL,
    capacity         INTEGER NOT NULL CHECK (capacity > 0),
    -- seats sold; the CHECK is the database's own guarantee that a class is never oversold
    seats_taken      INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0 AND seats_taken <= capacity),
    fee_fen          INTEGER NOT NULL CHECK (fee_fen >= 0),
    subsidy_fen      INTEGER NOT NULL CHECK (subsidy_fen >= 0),
    accessibility    TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL,
    contact_phone    TEXT,
    description      TEXT,
    demo             INTEGER NOT NULL DEFAULT 0,
    updated_at       TEXT NOT NULL
);

CREATE INDEX courses_city ON courses (city);
CREATE INDEX courses_industry ON courses (industry);
CREATE INDEX courses_start ON courses (start_date);
CREATE INDEX courses_institution ON courses (institution_code);
