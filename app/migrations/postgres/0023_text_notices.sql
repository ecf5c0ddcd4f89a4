-- PostgreSQL twin of ../sqlite/0023_text_notices.sql (BIGINT for INTEGER).
-- Notices by text, for those who ask: from the notification after `text_notices_from` on
-- (none before they asked), each texted once (`texted`).
ALTER TABLE users ADD COLUMN text_notices_from BIGINT;
ALTER TABLE notifications ADD COLUMN texted BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_text_notices ON users (text_notices_from) WHERE text_notices_from IS NOT NULL;
