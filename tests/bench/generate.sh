#!/bin/sh
# generate.sh — benchmark of `czynsze generate` (called by `make bench`).
#
#   sh tests/bench/generate.sh [CARDS] [YEARS]      (default 30000 10)
#
# Makes a synthetic export with fixtures/tools/gen-export.py (kept in
# $BENCH_DIR between runs: it takes minutes at 30000 cards), imports it
# (or takes BENCH_EXPORT, an export folder, and BENCH_HOME, a data home
# that already holds its import), gives every card holder a login with
# random keys (tests/bench/fake-keys.sh: real credentials cost a PBKDF2
# each), then times:
#   1. a full generate into an empty folder;
#   2. a second generate, nothing changed: it must write no file and
#      render nobody;
#   3. a generate after 1 % of the cards changed (their balance is moved
#      by 1 grosz directly in the database), which must rewrite only those
#      residents' files.
# BENCH_JOBS (default: one per processor) is passed as --jobs.
# Prints wall and CPU time of each (/usr/bin/time).  Not a test: nothing
# here asserts a time; the machine's load goes with the figures.
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
if [ ! -f "$HOME_DIR/czynsze.db" ]; then
	echo "generate: importing"
	/usr/bin/time -f "import: $TIMEFMT" "$CZ" --home "$HOME_DIR" import "$EXPORT" > /dev/null
	cp "$HOME_DIR/czynsze.db" "$HOME_DIR/imported.db"
fi
[ -f "$HOME_DIR/imported.db" ] || cp "$HOME_DIR/czynsze.db" "$HOME_DIR/imported.db"
# start from the imported data (a previous run changed balances)
cp "$HOME_DIR/imported.db" "$HOME_DIR/czynsze.db"
[ -f "$HOME_DIR/keys.db" ] || sh "$TOP/tests/bench/fake-keys.sh" "$HOME_DIR"
rm -rf "$OUT"
JOBS=${BENCH_JOBS:+--jobs $BENCH_JOBS}
echo "generate: $(sqlite3 "$HOME_DIR/keys.db" "SELECT count(*) FROM login") residents with a login; load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) processors"

run() {
	label=$1
	shift
	/usr/bin/time -f "generate ($label): $TIMEFMT" \
	    "$CZ" --home "$HOME_DIR" generate -v $JOBS "$@" --templates "$TOP/site-templates" \
	    --out "$OUT" | tail -1
}
echo "generate: full site, $CARDS cards"
run full
echo "generate: site size $(du -sh "$OUT" | cut -f1), bundles $(du -shc "$OUT"/r/*.bin | tail -1 | cut -f1)"

echo "generate: unchanged database"
run "nothing changed"

# 1 % of the cards change (what a night of payments looks like)
sqlite3 "$HOME_DIR/czynsze.db" "UPDATE card SET balance_gr = balance_gr + 1 WHERE rowid % 100 = 0"
echo "generate: after 1 % of the cards changed"
run "1 %% changed"
