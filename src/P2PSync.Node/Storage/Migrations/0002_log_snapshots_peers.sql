-- Schema 2: the per-document update log, compacted snapshots, trusted peers and per-peer
-- sync state. Times are Unix milliseconds from the caller's TimeProvider.

-- When the name last changed, so renames arriving from peers resolve last-writer-wins.
-- Documents that existed under schema 1 were never renamed: 0 means "as created".
ALTER TABLE documents ADD COLUMN name_changed_ms INTEGER NOT NULL DEFAULT 0;

-- Every update (Yjs update v1) a document received, in arrival order. `seq` counts per
-- document from 1 and is never reused, not even after compaction removed the rows below it:
-- the next seq is one past the larger of MAX(seq) here and doc_snapshots.upto_seq.
-- `origin` says where the update came from ("local", "api", a peer's DeviceId...).
CREATE TABLE update_log (
    doc_id      TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL CHECK (seq > 0),
    update_v1   BLOB    NOT NULL,
    origin      TEXT,
    received_ms INTEGER NOT NULL,
    PRIMARY KEY (doc_id, seq)
);

-- At most one snapshot per document: all log entries with seq <= upto_seq merged into one
-- update (Y.mergeUpdates). Loading a document = snapshot + log entries with seq > upto_seq.
CREATE TABLE doc_snapshots (
    doc_id       TEXT    PRIMARY KEY NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    upto_seq     INTEGER NOT NULL CHECK (upto_seq > 0),
    state        BLOB    NOT NULL,
    compacted_ms INTEGER NOT NULL
);

-- Devices allowed to connect. `device_id` is the DeviceId text form; `addresses` is a JSON
-- array of "host:port" strings to dial; `last_seen_ms` is NULL until the first connection.
CREATE TABLE peers (
    device_id    TEXT    PRIMARY KEY NOT NULL,
    name         TEXT,
    addresses    TEXT    NOT NULL DEFAULT '[]',
    added_ms     INTEGER NOT NULL,
    last_seen_ms INTEGER
);

-- What we know of a peer's copy of a document: its last announced state vector and the
-- highest local log seq we have sent it (for "behind by N updates").
CREATE TABLE peer_sync (
    device_id           TEXT    NOT NULL REFERENCES peers (device_id) ON DELETE CASCADE,
    doc_id              TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    remote_state_vector BLOB,
    sent_upto_seq       INTEGER NOT NULL DEFAULT 0,
    updated_ms          INTEGER NOT NULL,
    PRIMARY KEY (device_id, doc_id)
);

CREATE INDEX peer_sync_by_doc ON peer_sync (doc_id);
