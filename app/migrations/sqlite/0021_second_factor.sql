-- A session half made: the password was right, the second step is owed (`pending`: `sms` or
-- `totp`). It signs nobody in; it ends after five minutes or five wrong codes. A texted
-- code is kept as its keyed hash, with the reference the text and the page both show.
ALTER TABLE sessions ADD COLUMN pending TEXT;
ALTER TABLE sessions ADD COLUMN code_hash BLOB;
ALTER TABLE sessions ADD COLUMN code_ref TEXT;
ALTER TABLE sessions ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;

-- An authenticator app (TOTP, RFC 6238): its secret sealed once confirmed, one being set up,
-- and the last time step used (a code is taken once).
ALTER TABLE users ADD COLUMN totp_sealed BLOB;
ALTER TABLE users ADD COLUMN totp_pending_sealed BLOB;
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
