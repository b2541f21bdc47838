-- Search (issue 2): a one-letter query matches most of a province catalogue; its first page is read in
-- name order off this index instead of ranking thousands of matches per keystroke.
CREATE INDEX procedures_name_folded ON procedures (name_folded);
