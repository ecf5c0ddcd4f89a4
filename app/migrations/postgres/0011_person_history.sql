-- PostgreSQL twin of ../sqlite/0011_person_history.sql (BYTEA for BLOB).
-- History follows the person, not the account: enrolments, certificates and claims keep the
-- keyed hash of the person's identity number (users.id_mac), so that the rules that read a
-- person's history (the yearly cap, "the same occupation and level once", "a higher level
-- held") see what an account deleted before had, once the person signs up again.
ALTER TABLE enrollments ADD COLUMN person_mac BYTEA;
ALTER TABLE certificates ADD COLUMN person_mac BYTEA;
ALTER TABLE subsidy_claims ADD COLUMN person_mac BYTEA;
UPDATE enrollments SET person_mac = (SELECT id_mac FROM users WHERE users.id = enrollments.user_id);
UPDATE certificates SET person_mac = (SELECT id_mac FROM users WHERE users.id = certificates.user_id);
UPDATE subsidy_claims SET person_mac = (SELECT id_mac FROM users WHERE users.id = subsidy_claims.user_id);
CREATE INDEX enrollments_person ON enrollments (person_mac);
CREATE INDEX certificates_person ON certificates (person_mac);
CREATE INDEX subsidy_claims_person ON subsidy_claims (person_mac);
