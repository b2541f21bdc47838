-- Sync with the hub (issue 10). The outbox gets an order (position), the dossier it belongs to, and a
-- state: a row the hub rejected stays, marked with the reason, visible, and is not sent again until a
-- supervisor retries it. Rows written before this migration keep their order (rowid) and stay pending.
CREATE TABLE outbox_v8 (
  position        INTEGER PRIMARY KEY AUTOINCREMENT,  -- the order events are pushed in
  event_id        TEXT NOT NULL UNIQUE REFERENCES dossier_events (id),
  dossier_code    TEXT NOT NULL,
  queued_at       TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_attempt_at TEXT,
  last_error      TEXT,
  rejected_at     TEXT,
  rejected_reason TEXT,                              -- the hub's word (transition_not_allowed, …)
  rejected_detail TEXT
);
INSERT INTO outbox_v8 (event_id, dossier_code, queued_at, attempts, last_error)
  SELECT o.event_id, e.dossier_code, o.queued_at, o.attempts, o.last_error
  FROM outbox o JOIN dossier_events e ON e.id = o.event_id ORDER BY o.rowid;
DROP TABLE outbox;
ALTER TABLE outbox_v8 RENAME TO outbox;
CREATE INDEX outbox_dossier_state ON outbox (dossier_code, state, position);

-- One row: where the hub is and how far this counter has read its changes. The token lives here, in
-- the data dir's own file (0600), never in logs or settings exports.
CREATE TABLE IF NOT EXISTS sync_state (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  hub_url         TEXT,
  ca_file         TEXT,
  token           TEXT,
  pull_cursor     TEXT,                              -- the hub's opaque cursor; NULL = from the start
  last_attempt_at TEXT,
  last_success_at TEXT,
  last_error      TEXT,
  last_skew_s     REAL,                              -- hub clock minus ours, seconds
  updated_at      TEXT
);
INSERT OR IGNORE INTO sync_state (id) VALUES (1);

-- A move one side recorded that the other side's state forbids: kept, both sides, until a supervisor
-- resolves it. Never a silent overwrite.
CREATE TABLE IF NOT EXISTS conflicts (
  id              INTEGER PRIMARY KEY,
  dossier_code    TEXT NOT NULL,
  origin          TEXT NOT NULL CHECK (origin IN ('push', 'pull')),
  reason          TEXT NOT NULL,
  detail          TEXT,
  local_event_id  TEXT,                              -- the counter's event (push) or its last (pull)
  local_status    TEXT,
  hub_event_id    TEXT,
  hub_event       TEXT,                              -- JSON of the hub's event (pull)
  hub_status      TEXT,
  hub_conflict_id INTEGER,                           -- the hub's own conflict record (push)
  opened_at       TEXT NOT NULL,
  resolved_at     TEXT,
  resolved_by     TEXT,
  resolution      TEXT
);
CREATE INDEX IF NOT EXISTS conflicts_open ON conflicts (resolved_at, id);
CREATE UNIQUE INDEX IF NOT EXISTS conflicts_hub_event ON conflicts (hub_event_id) WHERE hub_event_id IS NOT NULL;
