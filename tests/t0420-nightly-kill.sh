#!/bin/sh
# t0420-nightly-kill.sh — kill -9 at random moments of a nightly run over
# a large export: whatever the moment, the live site is one complete
# generation (yesterday's or tonight's, byte for byte), `statement --json`
# (no lock) reads the night the site shows, a command that takes the lock
# (credentials list) completes the recovery so that HOME/czynsze.db is
# that night too, the database passes PRAGMA integrity_check, and the next
# run succeeds and publishes exactly what an uninterrupted run publishes.
# One more round stops the run right after its import (when its staging
# generation appears): the office reads yesterday while the run is under
# way, and after the kill.
. "$(dirname "$0")/lib.sh"
ROUNDS=${CZYNSZE_KILL_ROUNDS:-5}
plan $((7 + ROUNDS * 6))
N1=$FIX/ksm-20211228
BIG=$SCRATCH/big
if [ -n "${CZYNSZE_SANITIZED:-}" ]; then size="--cards 80 --years 3"; else size="--cards 300 --years 5"; fi
# shellcheck disable=SC2086
python3 "$FIX/tools/gen-export.py" $size --seed 3 "$BIG" > /dev/null
# a night after the first fixture night, so that it is not refused as older
sed -i 's/wygenerowano="2021-12-28T02:00:13"/wygenerowano="2021-12-30T02:00:00"/' "$BIG/eksport.xml"
NIGHTLY="$CZ nightly --settle-ms 0 --templates $TOP/site-templates"

tree() {  # the live generation: name and every file's hash
	readlink "$1/site" && (cd "$1/site/" && find . -type f -exec sha256sum {} + | sort)
}

# the base home: the first fixture night live (homes with the coop details)
coop_conf "$SCRATCH/base"
$NIGHTLY --home "$SCRATCH/base" "$N1" > /dev/null 2>&1
tree "$SCRATCH/base" > "$SCRATCH/tree-yesterday"
# a person in yesterday's export only (O0001), one in tonight's only (O000001)
"$CZ" --home "$SCRATCH/base" statement --json O0001 > "$SCRATCH/stmt-yesterday"

# the reference: the big night, uninterrupted (timed only to spread the kills)
cp -a "$SCRATCH/base" "$SCRATCH/ref"
t0=$(date +%s%N)
ok "an uninterrupted run over the large export succeeds" $NIGHTLY --home "$SCRATCH/ref" "$BIG"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
tree "$SCRATCH/ref" > "$SCRATCH/tree-tonight"
"$CZ" --home "$SCRATCH/ref" statement --json O000001 > "$SCRATCH/stmt-tonight"

# night H: "yesterday" or "tonight", by the live site
night() { if cmp -s "$SCRATCH/tree-now" "$SCRATCH/tree-yesterday"; then echo yesterday; else echo tonight; fi; }
# what statement --json reads in H matches the site's night
statement_matches() {
	if [ "$(night)" = yesterday ]; then
		"$CZ" --home "$1" statement --json O0001 | cmp -s - "$SCRATCH/stmt-yesterday"
	else
		"$CZ" --home "$1" statement --json O000001 | cmp -s - "$SCRATCH/stmt-tonight"
	fi
}
# after a command that takes the lock, czynsze.db itself is the site's night
db_matches() {
	"$CZ" --home "$1" credentials list > /dev/null 2>&1 || return 1
	want=2021-12-28T02:00:13; [ "$(night)" = tonight ] && want=2021-12-30T02:00:00
	[ "$(sqlite3 "$1/czynsze.db" 'SELECT generated_at FROM export')" = "$want" ]
}
ok "... and publishes a different site" sh -c "! cmp -s '$SCRATCH/tree-yesterday' '$SCRATCH/tree-tonight'"

r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	H=$SCRATCH/h$r
	rm -rf "$H" && cp -a "$SCRATCH/base" "$H"
	# a random moment in the run (up to 110 % of its length)
	delay=$(od -An -N2 -tu2 /dev/urandom | awk -v ms="$ms" '{ printf "%.3f", ($1 % (ms * 11 / 10 + 1)) / 1000 }')
	$NIGHTLY --home "$H" "$BIG" > /dev/null 2>&1 & pid=$!
	sleep "$delay"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	tree "$H" > "$SCRATCH/tree-now"
	ok "round $r (kill after ${delay}s): the live site is yesterday's or tonight's, complete" sh -c "
	   cmp -s '$SCRATCH/tree-now' '$SCRATCH/tree-yesterday' || cmp -s '$SCRATCH/tree-now' '$SCRATCH/tree-tonight'"
	ok "round $r: statement --json reads the night the site shows ($(night))" statement_matches "$H"
	ok "round $r: after a locked command (credentials list) czynsze.db is that night" db_matches "$H"
	is "$(sqlite3 "$H/czynsze.db" 'PRAGMA integrity_check')" "ok" "round $r: the database passes integrity_check"
	ok "round $r: the next run succeeds" $NIGHTLY --home "$H" "$BIG"
	tree "$H" > "$SCRATCH/tree-now"
	ok "round $r: ... and publishes exactly the uninterrupted run's site, nothing left over" sh -c "
	   cmp '$SCRATCH/tree-now' '$SCRATCH/tree-tonight' &&
	   test ! -e '$H/nightly.pending' && test ! -e '$H/czynsze.db.prev' &&
	   ! ls -a '$H/sites' | grep -q '^\.staging'"
done

# stopped right after the import: its staging generation has appeared
H=$SCRATCH/hs
cp -a "$SCRATCH/base" "$H"
$NIGHTLY --home "$H" "$BIG" > /dev/null 2>&1 & pid=$!
i=0
while ! ls -d "$H"/sites/.staging-* > /dev/null 2>&1 && kill -0 "$pid" 2> /dev/null && [ $i -lt 3000 ]; do
	sleep 0.01; i=$((i + 1))
done
kill -STOP "$pid" 2> /dev/null
ok "a run stopped after its import has replaced czynsze.db (the case under test)" sh -c "
   [ \"\$(sqlite3 '$H/czynsze.db' 'SELECT generated_at FROM export')\" = 2021-12-30T02:00:00 ]"
tree "$H" > "$SCRATCH/tree-now"
ok "... the site is still yesterday's" cmp -s "$SCRATCH/tree-now" "$SCRATCH/tree-yesterday"
ok "... and statement --json reads yesterday while the run is under way" statement_matches "$H"
kill -9 "$pid" 2> /dev/null; kill -CONT "$pid" 2> /dev/null
wait "$pid" 2> /dev/null
ok "killed there: statement --json still reads yesterday" statement_matches "$H"
ok "... and after a locked command czynsze.db is yesterday's again" db_matches "$H"
done_testing
