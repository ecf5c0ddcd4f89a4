-- When a person last changed their groups: a claim made within 30 days after is flagged for
-- the HR officer (a signal, not a refusal).
ALTER TABLE users ADD COLUMN groups_changed_at TEXT;
