-- motcua-desktop counter store, schema version 1.
-- Times are local agency time (Asia/Ho_Chi_Minh, UTC+7, no DST) as 'YYYY-MM-DDTHH:MM:SS'.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL                    -- JSON
);

-- The catalogue: one row per procedure code, pointing at its current version.
CREATE TABLE procedures (
  id              INTEGER PRIMARY KEY,   -- rowid of procedure_fts
  code            TEXT NOT NULL UNIQUE,
  current_version INTEGER NOT NULL,      -- procedure_versions.id
  name            TEXT NOT NULL,
  name_folded     TEXT NOT NULL,
  field           TEXT NOT NULL,
  national_code   TEXT,
  active          INTEGER NOT NULL DEFAULT 1
);

-- Every version ever imported stays: dossiers point at the one they were received under.
CREATE TABLE procedure_versions (
  id           INTEGER PRIMARY KEY,
  code         TEXT NOT NULL,
  version      INTEGER NOT NULL,
  content      TEXT NOT NULL,            -- canonical JSON of domain.catalog.Procedure
  content_hash TEXT NOT NULL,
  imported_at  TEXT NOT NULL,
  source       TEXT,
  UNIQUE (code, version)
);

-- Folded text (no diacritics, đ→d, lower case): unicode61's remove_diacritics does not fold đ.
CREATE VIRTUAL TABLE procedure_fts USING fts5(
  name, code, national_code, field, aliases,
  tokenize = 'unicode61 remove_diacritics 0',
  prefix = '1 2 3'                       -- as-you-type prefixes of 1-3 letters stay fast
);

CREATE TABLE dossiers (
  code                 TEXT PRIMARY KEY,
  procedure_code       TEXT NOT NULL,
  procedure_version_id INTEGER NOT NULL REFERENCES procedure_versions (id),
  procedure_snapshot   TEXT NOT NULL,    -- JSON: components, time and fee it was received under
  applicant_kind       TEXT NOT NULL DEFAULT 'individual' CHECK (applicant_kind IN ('individual', 'organisation')),
  applicant_name       TEXT NOT NULL,
  applicant_name_folded TEXT NOT NULL,
  id_kind              TEXT,             -- cccd | cmnd | passport | tax_code
  id_number            TEXT,
  phone                TEXT,
  email                TEXT,
  address              TEXT,
  delivery             TEXT NOT NULL DEFAULT 'counter' CHECK (delivery IN ('counter', 'post')),
  delivery_address     TEXT,
  channel              TEXT NOT NULL DEFAULT 'direct' CHECK (channel IN ('direct', 'post', 'online')),
  status               TEXT NOT NULL,
  first_contact_at     TEXT NOT NULL,
  received_at          TEXT,             -- when the dossier became complete: the clock starts
  due_at               TEXT,
  original_due_at      TEXT,             -- kept for statistics when an apology moves due_at
  provided             TEXT NOT NULL DEFAULT '[]',  -- JSON: component numbers (1-based)
  missing              TEXT NOT NULL DEFAULT '[]',  -- JSON: component numbers still missing
  supplement_note      TEXT,
  refusal_reason       TEXT,
  fee_amount           INTEGER,
  fee_exempt_reason    TEXT,
  fee_receipt_no       TEXT,
  result_ready_at      TEXT,
  returned_at          TEXT,
  returned_to          TEXT,             -- JSON: who collected
  rating               INTEGER CHECK (rating BETWEEN 1 AND 5),
  apology_count        INTEGER NOT NULL DEFAULT 0,
  entered_late         INTEGER NOT NULL DEFAULT 0,  -- paper dossier entered after the fact (--at)
  clerk                TEXT,
  updated_at           TEXT NOT NULL
);
CREATE INDEX dossiers_status_due ON dossiers (status, due_at, code);
CREATE INDEX dossiers_procedure ON dossiers (procedure_code);

-- Append-only history; the dossier row is its projection.
CREATE TABLE dossier_events (
  id           TEXT PRIMARY KEY,         -- client-generated UUID: pushing twice is a no-op
  dossier_code TEXT NOT NULL REFERENCES dossiers (code),
  seq          INTEGER NOT NULL,
  type         TEXT NOT NULL,
  at           TEXT NOT NULL,            -- business time (may be back-dated for paper dossiers)
  recorded_at  TEXT NOT NULL,
  actor        TEXT NOT NULL,
  payload      TEXT NOT NULL,            -- JSON
  UNIQUE (dossier_code, seq)
);
CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;

-- Transactional outbox for the hub sync: written with the event, deleted once acknowledged.
CREATE TABLE outbox (
  event_id   TEXT PRIMARY KEY REFERENCES dossier_events (id),
  queued_at  TEXT NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);

CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  subject TEXT,
  detail  TEXT                           -- JSON
);

-- Last sequence number issued per day by this counter (its slot decides the range).
CREATE TABLE code_sequences (
  day      TEXT PRIMARY KEY,             -- YYMMDD
  last_seq INTEGER NOT NULL
);

-- Days the government announced after the holidays package was released.
CREATE TABLE calendar_overrides (
  day        TEXT PRIMARY KEY,           -- YYYY-MM-DD
  kind       TEXT NOT NULL CHECK (kind IN ('off', 'work')),
  note       TEXT,
  created_at TEXT NOT NULL
);

-- What the citizen was handed: the archived PDF, and every print of it.
CREATE TABLE slips (
  id           INTEGER PRIMARY KEY,
  dossier_code TEXT NOT NULL REFERENCES dossiers (code),
  kind         TEXT NOT NULL,
  paper        TEXT NOT NULL,
  number       TEXT,
  path         TEXT NOT NULL,            -- relative to the data dir
  sha256       TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  actor        TEXT NOT NULL
);
CREATE INDEX slips_dossier ON slips (dossier_code, kind);
CREATE TABLE slip_prints (
  id         INTEGER PRIMARY KEY,
  slip_id    INTEGER NOT NULL REFERENCES slips (id),
  printed_at TEXT NOT NULL,
  printer    TEXT,
  actor      TEXT NOT NULL,
  reprint    INTEGER NOT NULL DEFAULT 0
);
