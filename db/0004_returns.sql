-- Return desk (issue 5): the results queue filtered by field (lĩnh vực) walks this index instead of
-- reading every dossier row of the status to learn its procedure.
CREATE INDEX dossiers_status_procedure_due ON dossiers (status, procedure_code, due_at, code);
