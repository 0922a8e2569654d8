#!/bin/sh
# generate.sh — benchmark of `czynsze generate` (called by `make bench`).
#
#   sh tests/bench/generate.sh [CARDS] [YEARS]      (default 30000 10)
#
# Makes a synthetic export with fixtures/tools/gen-export.py (kept in
# $BENCH_DIR between runs: it takes minutes at 30000 cards), imports it
# (or takes BENCH_EXPORT, an export folder, and BENCH_HOME, a data home
# that already holds its import), gives every card holder a login with
# random keys (tests/bench/lib/fake-keys.sh: real credentials cost a PBKDF2
# each), then times:
#   1. a full generate into an empty folder;
#   2. a second generate, nothing changed: it must write no file and
#      render nobody;
#   3. the next night with no other change: the export's timestamp moves
#      a day (every bundle seals it, bundle.h), so every bundle is
#      re-sealed and written, and nobody rendered;
#   4. the next night with 1 % of the cards changed (their balance moved
#      by 1 grosz directly in the database, and the export's timestamp a
#      day): only those residents are rendered, the others re-sealed.
# Each is run BENCH_RUNS times (3); the medians are reported, and the two
# later runs as a fraction of the full one (the peer here: what every
# night would cost without the digests).  BENCH_JOBS (default: one per
# processor) is passed as --jobs.  Prints wall and CPU time of every run
# (/usr/bin/time).  Not a test: nothing here asserts a time; the
# machine's load goes with the figures.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
CARDS=${1:-30000}
YEARS=${2:-10}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/czynsze-bench}
EXPORT=${BENCH_EXPORT:-$BENCH_DIR/export-$CARDS-$YEARS}
HOME_DIR=${BENCH_HOME:-$BENCH_DIR/home-$CARDS-$YEARS}
OUT=$BENCH_DIR/site-$CARDS-$YEARS
TIMEFMT="%e s wall, %U s user, %S s system, %M KB max RSS"

mkdir -p "$BENCH_DIR"
if [ ! -f "$EXPORT/eksport.xml" ]; then
	echo "generate: making a synthetic export ($CARDS cards, $YEARS years) in $EXPORT"
	python3 "$TOP/fixtures/tools/gen-export.py" --cards "$CARDS" --years "$YEARS" --seed 1 "$EXPORT"
fi
# an import by an older czynsze (no meter_reading, schema 005) is done again
if [ -f "$HOME_DIR/imported.db" ] &&
    [ -z "$(sqlite3 "$HOME_DIR/imported.db" "SELECT 1 FROM sqlite_schema WHERE name = 'meter_reading'")" ]; then
	rm -f "$HOME_DIR/imported.db" "$HOME_DIR/czynsze.db"
fi
if [ ! -f "$HOME_DIR/czynsze.db" ]; then
	echo "generate: importing"
	/usr/bin/time -f "import: $TIMEFMT" "$CZ" --home "$HOME_DIR" import --no-snapshot "$EXPORT" > /dev/null
	cp "$HOME_DIR/czynsze.db" "$HOME_DIR/imported.db"
fi
[ -f "$HOME_DIR/imported.db" ] || cp "$HOME_DIR/czynsze.db" "$HOME_DIR/imported.db"
# start from the imported data (a previous run changed balances)
cp "$HOME_DIR/imported.db" "$HOME_DIR/czynsze.db"
[ -f "$HOME_DIR/keys.db" ] || sh "$TOP/tests/bench/lib/fake-keys.sh" "$HOME_DIR"
cp "$TOP/fixtures/czynsze.conf" "$HOME_DIR/czynsze.conf"   # the coop details generate needs
rm -rf "$OUT"
JOBS=${BENCH_JOBS:+--jobs $BENCH_JOBS}
echo "generate: $(sqlite3 "$HOME_DIR/keys.db" "SELECT count(*) FROM login") residents with a login; load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) processors"

RUNS=${BENCH_RUNS:-3}
. "$TOP/tests/bench/lib/median.sh"

# run LABEL TIMES: one generate; appends "wall user sys" to TIMES and
# prints the summary line and the times
run() {
	/usr/bin/time -o "$BENCH_DIR/one" -f "%e %U %S %M" \
	    "$CZ" --home "$HOME_DIR" generate -v $JOBS --templates "$TOP/site-templates" \
	    --out "$OUT" > "$BENCH_DIR/generate.out"
	tail -1 "$BENCH_DIR/generate.out"
	read -r wall user sys rss < "$BENCH_DIR/one"
	echo "generate ($1): $wall s wall, $user s user, $sys s system, $rss KB max RSS (mapped database pages included)"
	echo "$wall $user $sys" >> "$2"
}

: > "$BENCH_DIR/full.times"; : > "$BENCH_DIR/same.times"; : > "$BENCH_DIR/one-pct.times"
i=0
while [ $i -lt "$RUNS" ]; do
	rm -rf "$OUT"
	run full "$BENCH_DIR/full.times"
	i=$((i + 1))
done
echo "generate: site size $(du -sh "$OUT" | cut -f1), bundles $(du -shc "$OUT"/r/*.bin | tail -1 | cut -f1)"
i=0
while [ $i -lt "$RUNS" ]; do
	run "nothing changed" "$BENCH_DIR/same.times"
	i=$((i + 1))
done
# The next night: the export a day later, nothing else (3), or with 1 %
# of the cards changed (what a night of payments looks like, 4); each run
# starts again from the imported data, the site brought back to it first
# (KSM dates every card's balance with the export's day: those move too)
NEXT_NIGHT="UPDATE card SET balance_date = date(balance_date, '+1 day')
	WHERE balance_date = (SELECT substr(generated_at, 1, 10) FROM export);
    UPDATE export SET generated_at = strftime('%Y-%m-%dT%H:%M:%S', generated_at, '+1 day')"
: > "$BENCH_DIR/night.times"
i=0
while [ $i -lt "$RUNS" ]; do
	cp "$HOME_DIR/imported.db" "$HOME_DIR/czynsze.db"
	"$CZ" --home "$HOME_DIR" generate $JOBS --templates "$TOP/site-templates" --out "$OUT" > /dev/null
	sqlite3 "$HOME_DIR/czynsze.db" "$NEXT_NIGHT"
	run "the next night, nothing else changed" "$BENCH_DIR/night.times"
	i=$((i + 1))
done
i=0
while [ $i -lt "$RUNS" ]; do
	cp "$HOME_DIR/imported.db" "$HOME_DIR/czynsze.db"
	"$CZ" --home "$HOME_DIR" generate $JOBS --templates "$TOP/site-templates" --out "$OUT" > /dev/null
	sqlite3 "$HOME_DIR/czynsze.db" "$NEXT_NIGHT;
	    UPDATE card SET balance_gr = balance_gr + 1 + $i WHERE rowid % 100 = 0"
	run "the next night, 1 % of the cards changed" "$BENCH_DIR/one-pct.times"
	i=$((i + 1))
done
cp "$HOME_DIR/imported.db" "$HOME_DIR/czynsze.db"

full=$(cut -d' ' -f1 "$BENCH_DIR/full.times" | median)
same=$(cut -d' ' -f1 "$BENCH_DIR/same.times" | median)
night=$(cut -d' ' -f1 "$BENCH_DIR/night.times" | median)
pct=$(cut -d' ' -f1 "$BENCH_DIR/one-pct.times" | median)
cpu() { awk '{ print $2 + $3 }' "$1" | median; }
echo "generate: medians of $RUNS runs on $(nproc) processors, load $(cut -d' ' -f1-3 /proc/loadavg):"
echo "generate:   full site        $full s wall, $(cpu "$BENCH_DIR/full.times") s CPU"
echo "generate:   nothing changed  $same s wall, $(cpu "$BENCH_DIR/same.times") s CPU," \
    "$(awk -v a="$same" -v b="$full" 'BEGIN { printf "%.3f", a / b }') of the full run"
echo "generate:   next night       $night s wall, $(cpu "$BENCH_DIR/night.times") s CPU," \
    "$(awk -v a="$night" -v b="$full" 'BEGIN { printf "%.3f", a / b }') of the full run"
echo "generate:   next night, 1 %  $pct s wall, $(cpu "$BENCH_DIR/one-pct.times") s CPU," \
    "$(awk -v a="$pct" -v b="$full" 'BEGIN { printf "%.3f", a / b }') of the full run"
