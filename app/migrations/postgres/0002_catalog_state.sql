-- PostgreSQL twin of ../sqlite/0002_catalog_state.sql: same tables, BIGINT for INTEGER, BYTEA for BLOB.
-- One row that changes whenever the catalogue does, so every server instance can tell that
-- its in-memory search index is out of date.
CREATE TABLE catalog_state (
    id      BIGINT PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO catalog_state (id, version) VALUES (1, 0);
