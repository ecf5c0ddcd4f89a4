-- Enrolments, their timeline, attendance and the trainee's inbox.
--
-- Seats: courses.seats_taken counts the enrolments holding a seat (holds_seat = 1); its CHECK
-- (seats_taken <= capacity) is the database's backstop against overselling. The waiting list
-- is the class's waitlisted enrolments in id order (first come, first served).
CREATE TABLE enrollments (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    -- cut (NULL) when the person deletes their account: the record is kept, anonymised
    user_id        INTEGER REFERENCES users (id) ON DELETE SET NULL,
    course_code    TEXT NOT NULL,
    status         TEXT NOT NULL,
    holds_seat     INTEGER NOT NULL DEFAULT 0,
    reason         TEXT,
    employed       INTEGER,
    employer       TEXT,
    employed_since TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
-- One active enrolment per person and class, whatever the timing of two requests.
CREATE UNIQUE INDEX enrollments_one_active ON enrollments (user_id, course_code)
    WHERE status IN ('applied', 'approved', 'waitlisted', 'in_training');
CREATE INDEX enrollments_course ON enrollments (course_code, status);
CREATE INDEX enrollments_user ON enrollments (user_id);

CREATE TABLE enrollment_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    at            TEXT NOT NULL,
    status        TEXT NOT NULL,
    actor         TEXT NOT NULL,
    actor_id      INTEGER,
    reason        TEXT
);
CREATE INDEX enrollment_events_enrollment ON enrollment_events (enrollment_id);

CREATE TABLE attendance (
    enrollment_id INTEGER NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    day           TEXT NOT NULL,
    hours         INTEGER NOT NULL CHECK (hours > 0 AND hours <= 24),
    recorded_by   INTEGER,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (enrollment_id, day)
);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,
    subject_id  INTEGER NOT NULL,
    status      TEXT NOT NULL,
    title       TEXT NOT NULL,
    reason      TEXT,
    position    INTEGER,
    read_at     TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, id);
