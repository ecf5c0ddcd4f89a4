-- When a throttle count stops mattering (a lock and its window over, a tally of failed
-- sign-ins kept for the owner's next sign-in); the sweep deletes rows past it. Rows from
-- before this migration are past it at once.
ALTER TABLE login_throttle ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX login_throttle_expiry ON login_throttle (expires_at);
