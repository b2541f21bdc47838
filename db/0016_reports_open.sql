-- Reports: the dossiers still open that nothing touched since a period began (carried over into it)
-- were found through dossiers_reg_status and a look-up of each open dossier's wide row for its
-- updated_at; this index holds only the open ones, with the columns a report reads, so that part is
-- a short range scan (store/reports_repo.py names it, with the same status list, which SQLite needs
-- word for word to use a partial index).
CREATE INDEX IF NOT EXISTS dossiers_open_report ON dossiers (updated_at, first_contact_at, code, procedure_version_id,
  channel, status, received_at, due_at, original_due_at, result_ready_at, returned_at, rating)
  WHERE status IN ('supplement_requested', 'received', 'in_progress', 'result_ready');
