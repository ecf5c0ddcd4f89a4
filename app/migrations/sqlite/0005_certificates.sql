-- Assessments of completed enrolments, and the certificates a pass issues.
CREATE TABLE assessments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id),
    passed        INTEGER NOT NULL,
    score         INTEGER,
    assessed_by   INTEGER,
    assessed_at   TEXT NOT NULL
);
CREATE INDEX assessments_enrollment ON assessments (enrollment_id);

-- One certificate per enrolment. The holder's name is kept for public verification (by number
-- and name); the account link is cut when the account is deleted.
CREATE TABLE certificates (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    number           TEXT NOT NULL UNIQUE,
    enrollment_id    INTEGER NOT NULL UNIQUE REFERENCES enrollments (id),
    user_id          INTEGER REFERENCES users (id) ON DELETE SET NULL,
    holder_name      TEXT NOT NULL,
    certificate_type TEXT NOT NULL,
    occupation       TEXT NOT NULL,
    level            TEXT NOT NULL,
    issuer           TEXT NOT NULL,
    issued_on        TEXT NOT NULL,
    created_at       TEXT NOT NULL
);
CREATE INDEX certificates_user ON certificates (user_id);
