-- Retention of personal data (issue 14): after a configured time, a closed dossier's identity number,
-- phone, e-mail and addresses are erased from its row and from its events, leaving what the statistics
-- need. Events stay append-only except for that one erasure: the payload may be rewritten once, and only
-- together with setting erased_at; nothing else of the event may change, and never after.
ALTER TABLE dossier_events ADD COLUMN erased_at TEXT;
DROP TRIGGER dossier_events_no_update;
CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
WHEN OLD.erased_at IS NOT NULL OR NEW.erased_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.dossier_code IS NOT OLD.dossier_code OR NEW.seq IS NOT OLD.seq
  OR NEW.type IS NOT OLD.type OR NEW.at IS NOT OLD.at OR NEW.recorded_at IS NOT OLD.recorded_at
  OR NEW.actor IS NOT OLD.actor
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
ALTER TABLE dossiers ADD COLUMN personal_erased_at TEXT;
