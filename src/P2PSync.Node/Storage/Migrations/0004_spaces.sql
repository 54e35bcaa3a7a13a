-- Schema 4: spaces (issue 6). Every document belongs to one space; content travels as signed
-- records; space keys and invite secrets are kept encrypted by the host's KeyVault (the store
-- only ever sees protected bytes). Byte ids are BLOBs: space ids 16 bytes, author keys 32.

-- The spaces this node is a member of. `personal` = the node's own space (one per node).
CREATE TABLE spaces (
    id         BLOB    PRIMARY KEY NOT NULL,
    name       TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    personal   INTEGER NOT NULL DEFAULT 0
);

-- A space's membership log, entry by entry: `seq` is the entry's position (0 = genesis), which
-- is also the sequence number signed inside `entry` (docs/protocol/membership-log.md).
CREATE TABLE space_entries (
    space_id BLOB    NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    seq      INTEGER NOT NULL,
    entry    BLOB    NOT NULL,
    PRIMARY KEY (space_id, seq)
);

-- One content key per epoch, protected by the device's vault key (context = space id || epoch).
CREATE TABLE space_keys (
    space_id      BLOB    NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    epoch         INTEGER NOT NULL,
    protected_key BLOB    NOT NULL,
    PRIMARY KEY (space_id, epoch)
);

-- NULL only until the node assigns its personal space to documents from schema 3 and older.
ALTER TABLE documents ADD COLUMN space_id BLOB;

-- Every signed record held for a document, exactly as received (or as signed here), so it can
-- be relayed byte for byte. `seq` counts per (document, author) from 1.
CREATE TABLE signed_records (
    doc_id      TEXT    NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    author      BLOB    NOT NULL,
    seq         INTEGER NOT NULL,
    record      BLOB    NOT NULL,
    received_ms INTEGER NOT NULL,
    PRIMARY KEY (doc_id, author, seq)
);

-- After a device import: the next own seq per document must be at least `next_seq`, so the
-- restored device never signs a second, different record at a seq it already used. No foreign
-- key: the floor is known before the document arrives again by sync.
CREATE TABLE own_seq_floor (
    doc_id   TEXT    PRIMARY KEY NOT NULL,
    next_seq INTEGER NOT NULL
);

-- Invites this node issued. `protected_secret` is vault-protected (context = invite id);
-- `used_ms`/`used_by` (DeviceId text) are set once, by the first successful redemption.
CREATE TABLE invites (
    id               BLOB    PRIMARY KEY NOT NULL,
    space_id         BLOB    NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
    role             INTEGER NOT NULL,
    protected_secret BLOB    NOT NULL,
    created_ms       INTEGER NOT NULL,
    expires_ms       INTEGER NOT NULL,
    used_ms          INTEGER,
    used_by          TEXT
);

CREATE INDEX invites_by_space ON invites (space_id);

-- 1 = one of my devices (peer add), 0 = a member of a shared space that we dial. Every peer
-- from schema 3 was added with `peer add`, hence the default.
ALTER TABLE peers ADD COLUMN trusted INTEGER NOT NULL DEFAULT 1;
