-- Schema 5: how far this device's own records of each document went to the relay's mailbox, so
-- records signed while the relay was unreachable (or the node stopped before posting them) are
-- posted on the next connection instead of being lost to devices reachable only through it.
CREATE TABLE relay_posted (
    doc_id   TEXT    PRIMARY KEY NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    upto_seq INTEGER NOT NULL CHECK (upto_seq >= 0)
);
