-- Intake (issue 3): what the clerk noted per provided component (form bản chính/bản sao, count, note).
-- JSON object keyed by component number: {"1": {"form": "original", "count": 1}}.
ALTER TABLE dossiers ADD COLUMN checklist TEXT NOT NULL DEFAULT '{}';
