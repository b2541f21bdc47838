-- IF NOT EXISTS: only indexes, so a file that already has them (a test winding user_version back, or 0007/0008
-- merged after this one) migrates cleanly.
-- Reports (issue 13): a period's statistics read the narrow columns of every dossier touched since the
-- period began (updated_at is a row's last write, never before its last step's business time) off this
-- covering index, never the wide snapshot rows; the non-milestone steps (supplement, refuse, withdraw,
-- stop, apologise, hub_status) by type and business time off the second.
CREATE INDEX IF NOT EXISTS dossiers_report ON dossiers (updated_at, first_contact_at, code, procedure_version_id, channel,
  status, received_at, due_at, original_due_at, result_ready_at, returned_at, rating);
CREATE INDEX IF NOT EXISTS dossier_events_type_at ON dossier_events (type, at, dossier_code, seq);
-- The tracking book lists the dossiers first seen at the counter in a period.
CREATE INDEX IF NOT EXISTS dossiers_first_contact ON dossiers (first_contact_at, code);
