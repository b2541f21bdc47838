-- The dossier register (issue 15): any dossier of this counter, newest first (first contact), found by
-- code or its last digits, the applicant's folded name (prefix), identity number, phone, procedure or
-- status, within a period. Each index ends in (first_contact_at, code) so a page comes off it in order.
-- IF NOT EXISTS: only indexes, so a file that already has them migrates cleanly.
CREATE INDEX IF NOT EXISTS dossiers_reg_name ON dossiers (applicant_name_folded, first_contact_at, code);
-- The given name (the folded name's last word: 'binh' of 'tran van binh'), which a clerk types alone.
-- The expression must stay word for word the one in store/register_repo.py (GIVEN_NAME).
CREATE INDEX IF NOT EXISTS dossiers_reg_given ON dossiers (substr(applicant_name_folded, length(rtrim(applicant_name_folded, replace(applicant_name_folded, ' ', ''))) + 1), first_contact_at, code);
CREATE INDEX IF NOT EXISTS dossiers_reg_id ON dossiers (id_number, first_contact_at, code);
CREATE INDEX IF NOT EXISTS dossiers_reg_phone ON dossiers (phone, first_contact_at, code);
-- The code's daily sequence ('1004') and its date-and-sequence tail ('260305-1004').
CREATE INDEX IF NOT EXISTS dossiers_reg_seq ON dossiers (substr(code, -4), first_contact_at, code);
CREATE INDEX IF NOT EXISTS dossiers_reg_tail ON dossiers (substr(code, -11), first_contact_at, code);
CREATE INDEX IF NOT EXISTS dossiers_reg_status ON dossiers (status, first_contact_at, code);
CREATE INDEX IF NOT EXISTS dossiers_reg_procedure ON dossiers (procedure_code, first_contact_at, code);
