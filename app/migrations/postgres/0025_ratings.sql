-- Trainees' ratings of the classes they completed (issue 18): one an enrolment, changeable
-- for 30 days; every change is also in the write trail (audit_writes).
CREATE TABLE ratings (
    enrollment_id  BIGINT PRIMARY KEY REFERENCES enrollments (id),
    course_code    TEXT NOT NULL,
    stars          BIGINT NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment        TEXT,
    rated_on       TEXT NOT NULL,
    rated_at       TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX ratings_course ON ratings (course_code);
