-- One row that changes whenever the catalogue does, so every server instance can tell that
-- its in-memory search index is out of date.
CREATE TABLE catalog_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO catalog_state (id, version) VALUES (1, 0);
