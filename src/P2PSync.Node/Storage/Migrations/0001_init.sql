-- Version bookkeeping: one row per applied migration (see MigrationRunner).
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY NOT NULL
);

-- The CRDT documents this node knows. `created` is a Unix time in milliseconds
-- supplied by the caller's TimeProvider, never read from the clock inside SQL.
CREATE TABLE documents (
    id      TEXT PRIMARY KEY NOT NULL,
    name    TEXT NOT NULL,
    created INTEGER NOT NULL
);
