-- Schema 6: relays this device uses (`p2psync relay add URL`), so `up` finds its relay without
-- --relay on every run. The lowest position is the one `up` connects to; a URL is stored once,
-- normalised (see RelayUrls), so the same relay written two ways is still one row. A new row's
-- position (rowid) is above every stored one, so no AUTOINCREMENT is needed to keep the order.
CREATE TABLE relays (
    position INTEGER PRIMARY KEY,
    url      TEXT    NOT NULL UNIQUE,
    added_ms INTEGER NOT NULL
);
