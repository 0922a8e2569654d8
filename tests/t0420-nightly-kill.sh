#!/bin/sh
# t0420-nightly-kill.sh — kill -9 at random moments of a nightly run over
# a large export: whatever the moment, the live site is one complete
# generation (yesterday's or tonight's, byte for byte), the database
# passes PRAGMA integrity_check, and the next run succeeds and publishes
# exactly what an uninterrupted run publishes.
. "$(dirname "$0")/lib.sh"
ROUNDS=${CZYNSZE_KILL_ROUNDS:-5}
plan $((2 + ROUNDS * 4))
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

# the reference: the big night, uninterrupted (timed only to spread the kills)
cp -a "$SCRATCH/base" "$SCRATCH/ref"
t0=$(date +%s%N)
ok "an uninterrupted run over the large export succeeds" $NIGHTLY --home "$SCRATCH/ref" "$BIG"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
tree "$SCRATCH/ref" > "$SCRATCH/tree-tonight"
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
	is "$(sqlite3 "$H/czynsze.db" 'PRAGMA integrity_check')" "ok" "round $r: the database passes integrity_check"
	ok "round $r: the next run succeeds" $NIGHTLY --home "$H" "$BIG"
	tree "$H" > "$SCRATCH/tree-now"
	ok "round $r: ... and publishes exactly the uninterrupted run's site, nothing left over" sh -c "
	   cmp '$SCRATCH/tree-now' '$SCRATCH/tree-tonight' &&
	   test ! -e '$H/nightly.pending' && test ! -e '$H/czynsze.db.prev' &&
	   ! ls -a '$H/sites' | grep -q '^\.staging'"
done
done_testing
