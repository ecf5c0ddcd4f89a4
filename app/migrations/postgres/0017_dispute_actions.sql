-- PostgreSQL twin of ../sqlite/0017_dispute_actions.sql.
-- Disputes that act: what the HR officer did on resolving one (`none`, `void_enrollment`,
-- `void_attendance`, `stop_claim`, `revoke_certificate`). Attendance days voided by a
-- dispute leave `attendance` (so nothing counts them any more) for `attendance_voided`, with
-- who voided them, when and why: kept for the auditor, never deleted.
ALTER TABLE disputes ADD COLUMN action TEXT;
CREATE TABLE attendance_voided (
    enrollment_id BIGINT NOT NULL REFERENCES enrollments (id),
    day           TEXT NOT NULL,
    hours         BIGINT NOT NULL,
    recorded_by   BIGINT,
    recorded_at   TEXT NOT NULL,
    voided_by     BIGINT,
    voided_at     TEXT NOT NULL,
    reason        TEXT NOT NULL
);
CREATE INDEX attendance_voided_enrollment ON attendance_voided (enrollment_id);
