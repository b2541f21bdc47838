-- Which catalogue and calendar are in force, and where they came from: the hub's numbered version
-- (`motcua-hub publish-catalog` / `publish-calendar`, pulled in the sync cycle) or a local import.
-- *_hub_version is the newest hub version applied (what the next pull asks after), even when a local
-- import came later; *_source says which of the two is in force.
ALTER TABLE sync_state ADD COLUMN catalog_hub_version INTEGER;
ALTER TABLE sync_state ADD COLUMN catalog_source TEXT CHECK (catalog_source IN ('hub', 'local'));
ALTER TABLE sync_state ADD COLUMN catalog_label TEXT;        -- 'hub v3' / the local file's name
ALTER TABLE sync_state ADD COLUMN catalog_applied_at TEXT;
ALTER TABLE sync_state ADD COLUMN calendar_hub_version INTEGER;
ALTER TABLE sync_state ADD COLUMN calendar_source TEXT CHECK (calendar_source IN ('hub', 'local'));
ALTER TABLE sync_state ADD COLUMN calendar_label TEXT;
ALTER TABLE sync_state ADD COLUMN calendar_applied_at TEXT;
ALTER TABLE sync_state ADD COLUMN calendar_hub_days TEXT;    -- JSON: the days the applied hub version set
