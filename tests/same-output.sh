#!/bin/sh
# same-output.sh — the check for a refactoring: two czynsze binaries
# must give the same database and the same site on the fixtures.
#
#   sh tests/same-output.sh CZ_BEFORE CZ_AFTER     compare two binaries
#   sh tests/same-output.sh CZ                     print CZ's fingerprint
#
# For each binary, in a fresh data home: import fixtures/ksm-20211228,
# generate (sealed, with fixed keys, and --plain), import ksm-20211229,
# generate again into the same folders (the incremental path: .digests)
# and into empty ones (the full path), with one worker and with four.
# The fingerprint is the sha256 of every file of every site and of the
# htpasswd files, a `sqlite3 .dump` of czynsze.db after each import,
# generate's verbose lines (which files were written or removed) and
# its exit status.  Build a binary of the base commit first, e.g.
#   git worktree add /tmp/base main && make -C /tmp/base all
#
# Fixed keys: keys.db is filled with constant key material (bundle.h:
# the body nonce is derived from the data key and the content, so a
# bundle is then a function of the statement alone).  One field differs
# between two builds by design: the first column of OUT/r/.digests, a
# tag keyed by the program's own bytes (generate.h); it is left out (the
# file's other columns, each bundle's GCM tag and size, are kept).
# Not run by `make check`: it needs the binary of another commit.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
FIX=$TOP/fixtures

# fingerprint CZ: prints the fingerprint of the runs described above
fingerprint() {
	cz=$1
	w=$(mktemp -d "${TMPDIR:-/tmp}/czynsze-same.XXXXXX")
	export CZYNSZE_HOME="$w/home"
	mkdir -p -m 700 "$CZYNSZE_HOME" && cp "$FIX/czynsze.conf" "$CZYNSZE_HOME/"   # the coop's details
	today=$(date -u +%Y-%m-%d)   # the import's own timestamps: masked
	night() {  # night N EXPORT
		"$cz" import --no-snapshot "$2" > /dev/null 2>&1 || echo "import $1: exit $?"
		echo "== db after import $1"
		sqlite3 "$CZYNSZE_HOME/czynsze.db" .dump | sed "s/'$today""T[0-9:]*Z'/'NOW'/g"
		if [ ! -f "$CZYNSZE_HOME/keys.db" ]; then
			keys
		fi
		for jobs in 1 4; do
			gen "$1 incremental jobs $jobs" "$w/site-$jobs" --jobs "$jobs"
			gen "$1 plain jobs $jobs" "$w/plain-$jobs" --plain --jobs "$jobs"
			rm -rf "$w/fresh"
			gen "$1 full jobs $jobs" "$w/fresh" --jobs "$jobs"
		done
	}
	gen() {  # gen LABEL OUT ARGS...
		label=$1 out=$2; shift 2
		echo "== generate $label"
		rc=0
		"$cz" generate -v --templates "$TOP/site-templates" --out "$out" "$@" \
		    > "$w/gen.out" 2>&1 || rc=$?
		sed "s|$w|W|g" "$w/gen.out"
		echo "exit $rc"
		(cd "$out" && find . -type f ! -name .digests | LC_ALL=C sort | xargs sha256sum)
		if [ -f "$out/r/.digests" ]; then
			echo "digests: $(cut -d' ' -f2- "$out/r/.digests" | LC_ALL=C sort | sha256sum)"
		fi
		if [ -d "$CZYNSZE_HOME/htpasswd.d" ]; then
			(cd "$CZYNSZE_HOME/htpasswd.d" && find . -type f | LC_ALL=C sort | xargs sha256sum)
		fi
	}
	keys() {
		n=$(ls "$TOP"/schema/keys/*.sql | wc -l)
		{
			cat "$TOP"/schema/keys/*.sql
			echo "PRAGMA user_version = $n;"
			echo "ATTACH '$CZYNSZE_HOME/czynsze.db' AS d;"
			echo "INSERT INTO login (login, person_id, data_key, salt, iterations,
			    wrap_nonce, wrapped_key, token_hash, issued_at)
			  SELECT printf('s%09d', row_number() OVER (ORDER BY person_id)), person_id,
			    zeroblob(32), zeroblob(16), 600000, zeroblob(12), zeroblob(48),
			    '{SSHA}same' || person_id, '2021-12-28T00:00:00Z'
			  FROM (SELECT DISTINCT person_id FROM d.card);"
		} | sqlite3 "$CZYNSZE_HOME/keys.db"
		chmod 600 "$CZYNSZE_HOME/keys.db"
	}
	night 1 "$FIX/ksm-20211228"
	night 2 "$FIX/ksm-20211229"
	# the same export again (unchanged), then every broken one (refused:
	# the message and the database as it was)
	for x in "$FIX/ksm-20211229" "$FIX"/broken/[0-9]*; do
		rc=0
		"$cz" import --no-snapshot --force "$x" > "$w/imp.out" 2>&1 || rc=$?
		echo "== import $(basename "$x"): exit $rc"
		sed "s|$FIX|FIX|g" "$w/imp.out"
		sqlite3 "$CZYNSZE_HOME/czynsze.db" .dump | sed "s/'$today""T[0-9:]*Z'/'NOW'/g" | sha256sum
	done
	rm -rf "$w"
}

if [ $# -eq 1 ]; then
	fingerprint "$1"
	exit 0
fi
[ $# -eq 2 ] || { echo "usage: same-output.sh CZ_BEFORE CZ_AFTER" >&2; exit 2; }
t=$(mktemp -d "${TMPDIR:-/tmp}/czynsze-same.XXXXXX")
fingerprint "$1" > "$t/before"
fingerprint "$2" > "$t/after"
if cmp -s "$t/before" "$t/after"; then
	echo "same output: $(wc -l < "$t/before") lines of fingerprint ($(sha256sum < "$t/before" | cut -c1-16))"
	rm -rf "$t"
	exit 0
fi
diff -u "$t/before" "$t/after" | head -60
echo "different output (both fingerprints in $t)"
exit 1
