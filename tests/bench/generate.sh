#!/bin/sh
# generate.sh — benchmark of `czynsze generate` (called by `make bench`).
#
#   sh tests/bench/generate.sh [CARDS] [YEARS]      (default 30000 10)
#
# Makes a synthetic export with fixtures/tools/gen-export.py (kept in
# $BENCH_DIR between runs: it takes minutes at 30000 cards), imports it,
# then times:
#   1. a full generate into an empty folder;
#   2. a second generate after 1 % of the cards changed (their balance is
#      moved by 1 grosz directly in the database), which must rewrite only
#      those residents' files.
# Prints wall and CPU time of both (/usr/bin/time).  Not a test: nothing
# here asserts a time.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
CARDS=${1:-30000}
YEARS=${2:-10}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/czynsze-bench}
EXPORT=$BENCH_DIR/export-$CARDS-$YEARS
HOME_DIR=$BENCH_DIR/home-$CARDS-$YEARS
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
# start from the imported data (a previous run changed balances)
cp "$HOME_DIR/imported.db" "$HOME_DIR/czynsze.db"
rm -rf "$OUT"

echo "generate: full site, $CARDS cards"
/usr/bin/time -f "generate (full): $TIMEFMT" \
    "$CZ" --home "$HOME_DIR" generate -v --templates "$TOP/site-templates" --out "$OUT" | tail -1
echo "generate: site size $(du -sh "$OUT" | cut -f1)"

echo "generate: unchanged database"
/usr/bin/time -f "generate (nothing changed): $TIMEFMT" \
    "$CZ" --home "$HOME_DIR" generate -v --templates "$TOP/site-templates" --out "$OUT" | tail -1

# 1 % of the cards change (what a night of payments looks like)
sqlite3 "$HOME_DIR/czynsze.db" "UPDATE card SET balance_gr = balance_gr + 1 WHERE rowid % 100 = 0"
echo "generate: after 1 % of the cards changed"
/usr/bin/time -f "generate (1 %% changed): $TIMEFMT" \
    "$CZ" --home "$HOME_DIR" generate -v --templates "$TOP/site-templates" --out "$OUT" | tail -1
