-- The write trail: every change that moves money or changes a person's record, with who made
-- it (a pseudonymous reference that outlives the account, the role, and the account while it
-- exists), when, on which record, from what to what. Append-only: the triggers refuse any
-- change but cutting the link to a deleted account, and any deletion.
CREATE TABLE audit_writes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    actor_id     INTEGER,
    actor_ref    TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    city         TEXT,
    record       TEXT NOT NULL,
    action       TEXT NOT NULL,
    before_value TEXT,
    after_value  TEXT
);
CREATE INDEX audit_writes_city ON audit_writes (city, id);
CREATE INDEX audit_writes_record ON audit_writes (record, id);
CREATE INDEX audit_writes_actor ON audit_writes (actor_ref, id);
CREATE INDEX audit_writes_actor_id ON audit_writes (actor_id);

CREATE TRIGGER audit_writes_append_only BEFORE UPDATE ON audit_writes
WHEN NOT (NEW.actor_id IS NULL AND NEW.id = OLD.id AND NEW.at = OLD.at
          AND NEW.actor_ref = OLD.actor_ref AND NEW.actor_role = OLD.actor_role
          AND NEW.city IS OLD.city AND NEW.record = OLD.record AND NEW.action = OLD.action
          AND NEW.before_value IS OLD.before_value AND NEW.after_value IS OLD.after_value)
BEGIN
    SELECT RAISE(ABORT, 'audit_writes is append-only');
END;

CREATE TRIGGER audit_writes_no_delete BEFORE DELETE ON audit_writes
BEGIN
    SELECT RAISE(ABORT, 'audit_writes is append-only');
END;

-- A claim's steps name who took them (the role stays in `actor`).
ALTER TABLE subsidy_claim_events ADD COLUMN actor_id INTEGER;
