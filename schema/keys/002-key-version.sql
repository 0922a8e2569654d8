-- keys/002-key-version.sql — a login's key version, in its bundle's name.
--
-- credentials reset draws a new data key and re-seals the login's bundle
-- in every kept generation as r/LOGIN.V.bin with the next V, beside the
-- old one, before the access switch (docs/security.md, "Lifecycle"): the
-- browser reads V from the public salt shard, so at every instant the
-- live salt, htpasswd line and bundle name belong to one reset.
ALTER TABLE login ADD COLUMN key_version INTEGER NOT NULL DEFAULT 1 CHECK (key_version >= 1);
