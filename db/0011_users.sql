-- Staff accounts (issue 14): who works at the counter. Passwords are stored as argon2id hashes only.
CREATE TABLE users (
  id                  INTEGER PRIMARY KEY,
  username            TEXT NOT NULL UNIQUE,        -- lower case ASCII (domain/accounts.py)
  full_name           TEXT NOT NULL,               -- printed on slips, written in the audit trail
  role                TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'administrator')),
  password_hash       TEXT NOT NULL,
  active              INTEGER NOT NULL DEFAULT 1,
  failed_count        INTEGER NOT NULL DEFAULT 0,  -- wrong passwords in a row
  locked_until        TEXT,
  must_change         INTEGER NOT NULL DEFAULT 0,  -- after a reset by an administrator
  created_at          TEXT NOT NULL,
  password_changed_at TEXT NOT NULL,
  last_login_at       TEXT
);
