#!/bin/sh
# lib/fake-keys.sh HOME — gives every card holder of HOME/czynsze.db a login in
# HOME/keys.db with random key material, for benchmarks only: issuing real
# credentials costs a PBKDF2 of 600,000 rounds each (minutes for 30,000
# people), and generate needs only the stored keys (no password).  The
# bundles cannot be opened by anyone; sealing costs what it costs.
set -eu
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
H=$1
rm -f "$H/keys.db"
n=$(ls "$TOP"/schema/keys/*.sql | wc -l)
{
	cat "$TOP"/schema/keys/*.sql
	echo "PRAGMA user_version = $n;"
	echo "ATTACH '$H/czynsze.db' AS d;"
	echo "INSERT INTO login (login, person_id, data_key, salt, iterations, wrap_nonce,
	    wrapped_key, token_hash, issued_at)
	  SELECT printf('b%09d', row_number() OVER (ORDER BY person_id)), person_id,
	    randomblob(32), randomblob(16), 600000, randomblob(12), randomblob(48),
	    '{SSHA}bench', '2021-12-28T00:00:00Z'
	  FROM (SELECT DISTINCT person_id FROM d.card);"
} | sqlite3 "$H/keys.db"
chmod 600 "$H/keys.db"
