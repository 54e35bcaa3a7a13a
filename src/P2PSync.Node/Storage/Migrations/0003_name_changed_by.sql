-- Schema 3: who set a document's name, so renames resolve exactly like the sync layer resolves
-- them (NameVersion: larger name_changed_ms, then the ordinally larger DeviceId text, then the
-- ordinally larger name). Without it two renames in the same millisecond were decided by name
-- here but by device on the wire, and two nodes could keep different names forever.
-- Rows from older stores did not record the device: '' loses every tie, as on the wire.
ALTER TABLE documents ADD COLUMN name_changed_by TEXT NOT NULL DEFAULT '';
