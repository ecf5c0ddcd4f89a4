-- A job pays the full share only with its evidence (a labour contract or a social-insurance
-- record, by reference) and a start date within 6 months after the class ended; who recorded
-- it, and when, is kept with it.
ALTER TABLE enrollments ADD COLUMN employment_evidence TEXT;
ALTER TABLE enrollments ADD COLUMN employment_evidence_ref TEXT;
ALTER TABLE enrollments ADD COLUMN employment_recorded_by INTEGER;
ALTER TABLE enrollments ADD COLUMN employment_recorded_at TEXT;
