-- Audit trail (issue 14): append-only and hash-chained. Each entry holds the SHA-256 of its content and
-- of the previous entry's hash; the newest (id, hash, count) is anchored outside the table (settings key
-- 'audit_anchor', and every backup's manifest), so an edit, a deletion, an insertion or a cut tail shows.
-- Entries written before this migration are sealed into the chain by the app (store/audit_repo.py):
-- the triggers allow only that one update, from no hash to a hash.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
  OR NEW.action IS NOT OLD.action OR NEW.subject IS NOT OLD.subject OR NEW.detail IS NOT OLD.detail
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
