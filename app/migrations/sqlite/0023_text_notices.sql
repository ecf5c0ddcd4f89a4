-- Notices by text, for those who ask: from the notification after `text_notices_from` on
-- (none before they asked), each texted once (`texted`).
ALTER TABLE users ADD COLUMN text_notices_from INTEGER;
ALTER TABLE notifications ADD COLUMN texted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_text_notices ON users (text_notices_from) WHERE text_notices_from IS NOT NULL;
