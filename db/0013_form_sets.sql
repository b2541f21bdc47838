-- Form sets installed on this counter (issue 16): an administrator's corrected copy of a shipped set
-- (`motcua forms import`, source 'local'), later the sets the hub publishes (source 'hub'). The shipped
-- sets are files in resources/forms/ and are not stored here. Rows are never changed: a new correction
-- is a new row, and the latest of the same set and effective date wins.
CREATE TABLE form_sets (
  id             INTEGER PRIMARY KEY,
  set_id         TEXT NOT NULL,            -- "2025": the set it corrects or adds
  effective_from TEXT NOT NULL,            -- YYYY-MM-DD
  source         TEXT NOT NULL,            -- 'local' | 'hub'
  content        TEXT NOT NULL,            -- the checked JSON, as installed
  sha256         TEXT NOT NULL,
  installed_at   TEXT NOT NULL,
  actor          TEXT NOT NULL
);
CREATE INDEX form_sets_set ON form_sets (set_id, effective_from);
CREATE TRIGGER form_sets_no_update BEFORE UPDATE ON form_sets
BEGIN SELECT RAISE(ABORT, 'form_sets rows are never changed'); END;
