#!/bin/sh
# t0820-crash.sh — `czynsze import` killed with SIGKILL at random moments.
#
# Both exports are format 2: a medium generated export (300 cards, 3
# years: ~30 000 bookings) made format 2 by tools/add-v2.py (2 856 meter
# readings, 201 documents of 20-60 KB) twice, with other readings and
# documents (seeds 1 and 2).  The live database holds the old one; the new
# one is imported over it and killed after a random delay spread over the
# whole length of an import (measured once here, so the kills land
# everywhere from opening the manifest to the rename and after it).  After
# every kill the live database must pass PRAGMA integrity_check and hold
# exactly the old export or exactly the new one (the export row and a
# dump of every data table), every document it names must be in the
# document store with its bytes (SHA-256), and the next import must
# succeed whatever the killed one left behind (czynsze.db.new, a held
# lock, half-written store files).
# Runs: CZYNSZE_CRASH_RUNS (default 16; 5 under the sanitizers).
. "$(dirname "$0")/lib.sh"
RUNS=${CZYNSZE_CRASH_RUNS:-16}
[ -n "${CZYNSZE_SANITIZED:-}" ] && RUNS=${CZYNSZE_CRASH_RUNS:-5}
OLD=$SCRATCH/medium-old
NEW=$SCRATCH/medium
DB=$CZYNSZE_HOME/czynsze.db
plan $((RUNS * 4 + 6))

# The export row without imported_at, then every data table.
state() {
	sqlite3 "$1" "SELECT generated_at, manifest_sha256 FROM export" &&
	sqlite3 "$1" ".dump $(sqlite3 "$1" "SELECT group_concat(name, ' ') FROM sqlite_master
	    WHERE type = 'table' AND name NOT IN ('export', 'import_run', 'sqlite_sequence')")" |
	    sha256sum
}

# Every document the database names is in the store with its bytes.
store_ok() {
	sqlite3 "$DB" "SELECT DISTINCT sha256 FROM document" > "$SCRATCH/shas" &&
	while read -r sha; do
		f=$CZYNSZE_HOME/documents/$(echo "$sha" | cut -c1-2)/$sha.pdf
		[ "$(sha256sum < "$f" | cut -c1-64)" = "$sha" ] || { echo "missing or wrong: $f"; return 1; }
	done < "$SCRATCH/shas"
}

ok "a medium export is generated" python3 "$FIX/tools/gen-export.py" --cards 300 --years 3 --seed 7 "$NEW"
cp -R "$NEW" "$OLD"
ok "... made format 2 twice, with other readings and documents" \
    sh -c "python3 '$FIX/tools/add-v2.py' --seed 1 '$NEW' && python3 '$FIX/tools/add-v2.py' --seed 2 '$OLD'"
# The new state, from an import nobody kills, in a home of its own.
start=$(date +%s%N)
ok "the medium export imports" env CZYNSZE_HOME="$SCRATCH/ref" "$CZ" import "$NEW"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
want_new=$(state "$SCRATCH/ref/czynsze.db")
ok "the old export imports" "$CZ" import "$OLD"
want_old=$(state "$DB")
ok "... its documents in the store" store_ok

# Delays in ms, uniform over 0 .. 1.5 x the import's length; the seed is
# fixed, the moment a process is at after a delay is not.
delays=$(awk -v n="$RUNS" -v ms="$ms" 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "%d ", rand() * ms * 1.5 }')
i=0
new_seen=0
for d in $delays; do
	i=$((i + 1))
	"$CZ" import --force "$NEW" > /dev/null 2>&1 &
	pid=$!
	sleep "$(awk -v d="$d" 'BEGIN { printf "%.3f", d / 1000 }')"
	kill -KILL $pid 2>/dev/null
	wait $pid 2>/dev/null
	is "$(sqlite3 "$DB" 'PRAGMA integrity_check' 2>&1)" ok "kill $i after ${d} ms: integrity_check ok"
	got=$(state "$DB")
	if [ "$got" = "$want_old" ]; then what=old
	elif [ "$got" = "$want_new" ]; then what=new; new_seen=$((new_seen + 1))
	else what=mixed
	fi
	ok "kill $i after ${d} ms: the live database holds the old or the new export ($what)" \
	    test "$what" != mixed
	ok "kill $i: every document it names is in the store" store_ok
	# Back to the old export for the next kill; this run also proves a
	# killed one left nothing in the way.
	ok "kill $i: the next import succeeds" "$CZ" import --force "$OLD"
done
"$CZ" import --force "$NEW" > /dev/null 2>&1
is "$(state "$DB")" "$want_new" "finally the new export imports, equal to the reference"
echo "# $new_seen of $RUNS kills came after the rename (import $ms ms)"
done_testing
