-- Return desk: who handed the result over. `clerk` is the receiving clerk (the receipt prints it under
-- "NGƯỜI TIẾP NHẬN HỒ SƠ"); the hand-over used to overwrite it with the returning clerk.
ALTER TABLE dossiers ADD COLUMN returned_by TEXT;
-- Dossiers handed over before this migration: the events still know both names (append-only, never
-- overwritten), so restore the receiving clerk from the intake event and record the returning one.
UPDATE dossiers
SET returned_by = (SELECT e.actor FROM dossier_events e
                   WHERE e.dossier_code = dossiers.code AND e.type = 'return' ORDER BY e.seq DESC LIMIT 1),
    clerk = COALESCE((SELECT e.actor FROM dossier_events e
                      WHERE e.dossier_code = dossiers.code AND e.type = 'intake' ORDER BY e.seq LIMIT 1), clerk)
WHERE status = 'returned';
