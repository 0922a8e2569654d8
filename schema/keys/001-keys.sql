-- keys/001-keys.sql — HOME/keys.db: residents' logins and key material.
--
-- This database outlives every import (czynsze.db is replaced whole each
-- night) and is created owner-only (0600).  It never holds a password, in
-- clear or in any reversible form: only what the password unlocks (the
-- wrapped data key) and a verifier of the token derived from it.  See
-- docs/security.md.
--
-- A person has at most one live login.  Revoking keeps the row (for the
-- record: which login belonged to whom, when) but destroys its keys.

CREATE TABLE login (
	login         TEXT PRIMARY KEY,             -- random, e.g. 'k7mqx4wz2p'
	person_id     TEXT NOT NULL,                -- id_osoby of the export
	data_key      BLOB NOT NULL CHECK (length(data_key) = 32),   -- AES-256, random
	salt          BLOB NOT NULL CHECK (length(salt) = 16),       -- PBKDF2, random
	iterations    INTEGER NOT NULL CHECK (iterations >= 600000), -- PBKDF2
	wrap_nonce    BLOB NOT NULL CHECK (length(wrap_nonce) = 12),
	wrapped_key   BLOB NOT NULL CHECK (length(wrapped_key) = 48), -- data_key under the KEK, + tag
	token_hash    TEXT NOT NULL,                -- htpasswd verifier ({SSHA}...) of the auth token
	issued_at     TEXT NOT NULL,                -- UTC, last issue or reset
	revoked       INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
	revoked_at    TEXT
);
CREATE UNIQUE INDEX login_live_person ON login (person_id) WHERE revoked = 0;
