#!/bin/sh
# import.sh — benchmark of `czynsze import` against the sqlite3 tool's
# bare `.import` of the same CSV files (called by `make bench`).
#
#   BENCH_CARDS=30000 BENCH_YEARS=10 BENCH_RUNS=3 sh tests/bench/import.sh
#
# Settings (environment):
#   BENCH_DIR     where exports, databases and logs go (default build/bench)
#   BENCH_CARDS, BENCH_YEARS   size of the synthetic export (30000, 10)
#   BENCH_EXPORT  an existing export to use instead of generating one
#   BENCH_RUNS    runs of each contender; the median is reported (3)
#   BENCH_SMALL_CARDS  size of the small export whose peak RSS is shown
#                 next to the large one's (300; 0 skips it)
#
# The peer: the CSV files converted to UTF-8 with iconv, loaded by
# `sqlite3` with `.mode csv`, `.separator ;` and `.import` into tables it
# creates from the header (untyped text, no checks, no indexes), with
# the pragmas our import uses for its new database (journal_mode = OFF,
# synchronous = OFF: a file nobody reads until it is complete), so that
# the comparison is of the loading, not of the journalling.  Its rows
# are the CSV data rows.  Ours: every row the import stores (premises,
# people, cards, bookings, charge components, announcements), typed,
# checked and indexed, as recorded in import_run.
#
# Prints rows/s of both, the ratio ours/peer, our median wall time and
# peak RSS, and the CPU time (user + system) of both: on a shared machine
# the CPU time is the steadier figure.  A benchmark, not a test: it asserts nothing and exits 0
# unless something could not run at all.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
BENCH_DIR=${BENCH_DIR:-$TOP/build/bench}
CARDS=${BENCH_CARDS:-30000}
YEARS=${BENCH_YEARS:-10}
RUNS=${BENCH_RUNS:-3}
SMALL_CARDS=${BENCH_SMALL_CARDS:-300}
CSVS="lokale.csv osoby.csv kartoteki.csv obroty.csv"

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)

# make_export CARDS YEARS -> prints the folder
make_export() {
	dir=$BENCH_DIR/export-$1-$2
	if [ ! -f "$dir/eksport.xml" ]; then
		echo "import: making a synthetic export ($1 cards, $2 years) in $dir" >&2
		python3 "$TOP/fixtures/tools/gen-export.py" --cards "$1" --years "$2" --seed 1 \
		    "$dir.tmp" >&2
		rm -rf "$dir" && mv "$dir.tmp" "$dir"
	fi
	echo "$dir"
}

. "$TOP/tests/bench/lib/median.sh"

# run_ours EXPORT LOG: RUNS imports into a fresh home each; LOG gets
# "wall_s maxrss_kb user_s sys_s" per run.  Leaves the last database in place.
run_ours() {
	: > "$2"
	i=0
	while [ $i -lt "$RUNS" ]; do
		rm -rf "$BENCH_DIR/home"
		# The import alone: the audit snapshot that follows it has its
		# own benchmark (snapshot.sh).
		/usr/bin/time -o "$2.one" -f "%e %M %U %S" "$CZ" --home "$BENCH_DIR/home" \
		    import --no-snapshot "$1" > "$BENCH_DIR/import.out" 2>&1 ||
		    { cat "$BENCH_DIR/import.out" >&2; echo "import: czynsze import failed" >&2; exit 1; }
		cat "$2.one" >> "$2"
		echo "import: ours, run $((i + 1)): $(cat "$2.one") (wall s, KB max RSS, user s, sys s)" >&2
		i=$((i + 1))
	done
}

if [ ! -x "$CZ" ]; then
	echo "import: $CZ missing (run make)" >&2
	exit 1
fi
if [ -n "${BENCH_EXPORT:-}" ]; then
	EXPORT=$BENCH_EXPORT
else
	EXPORT=$(make_export "$CARDS" "$YEARS")
fi

# The peer's input: the CSV files in UTF-8.
UTF8=$BENCH_DIR/utf8-$(basename "$EXPORT")
if [ ! -f "$UTF8/done" ] || [ "$EXPORT/eksport.xml" -nt "$UTF8/done" ]; then
	rm -rf "$UTF8" && mkdir -p "$UTF8"
	for f in $CSVS; do
		iconv -f WINDOWS-1250 -t UTF-8 "$EXPORT/$f" > "$UTF8/$f"
	done
	touch "$UTF8/done"
fi
{
	echo "PRAGMA journal_mode = OFF;"
	echo "PRAGMA synchronous = OFF;"
	echo ".mode csv"
	echo ".separator ;"
	for f in $CSVS; do
		echo ".import '$UTF8/$f' t_${f%.csv}"
	done
} > "$BENCH_DIR/peer.sql"

peer_rows=0
for f in $CSVS; do
	n=$(($(wc -l < "$UTF8/$f") - 1))
	peer_rows=$((peer_rows + n))
done

echo "import: export $EXPORT ($(du -sh "$EXPORT" | cut -f1)), $RUNS runs each, on $(nproc) cores"
: > "$BENCH_DIR/peer.times"
i=0
while [ $i -lt "$RUNS" ]; do
	rm -f "$BENCH_DIR/peer.db"
	/usr/bin/time -o "$BENCH_DIR/peer.one" -f "%e %M %U %S" sqlite3 "$BENCH_DIR/peer.db" \
	    < "$BENCH_DIR/peer.sql"
	cat "$BENCH_DIR/peer.one" >> "$BENCH_DIR/peer.times"
	echo "import: sqlite3 .import, run $((i + 1)): $(cat "$BENCH_DIR/peer.one") (wall s, KB max RSS, user s, sys s)" >&2
	i=$((i + 1))
done
# the rows sqlite3 really stored (multi-line records make wc count high)
peer_rows=$(sqlite3 "$BENCH_DIR/peer.db" "SELECT (SELECT count(*) FROM t_lokale) + \
    (SELECT count(*) FROM t_osoby) + (SELECT count(*) FROM t_kartoteki) + \
    (SELECT count(*) FROM t_obroty)")
rm -f "$BENCH_DIR/peer.db"

run_ours "$EXPORT" "$BENCH_DIR/ours.times"
our_rows=$(sqlite3 "$BENCH_DIR/home/czynsze.db" "SELECT rows_premises + rows_people + \
    rows_cards + rows_bookings + rows_components + rows_announcements FROM import_run \
    WHERE outcome = 'ok' ORDER BY id DESC LIMIT 1")
rm -rf "$BENCH_DIR/home"

peer_s=$(cut -d' ' -f1 "$BENCH_DIR/peer.times" | median)
our_s=$(cut -d' ' -f1 "$BENCH_DIR/ours.times" | median)
our_rss=$(cut -d' ' -f2 "$BENCH_DIR/ours.times" | sort -n | tail -1)
peer_cpu=$(awk '{ print $3 + $4 }' "$BENCH_DIR/peer.times" | median)
our_cpu=$(awk '{ print $3 + $4 }' "$BENCH_DIR/ours.times" | median)

small_rss=
if [ "$SMALL_CARDS" -gt 0 ]; then
	SMALL=$(make_export "$SMALL_CARDS" "$YEARS")
	RUNS=1 run_ours "$SMALL" "$BENCH_DIR/small.times"
	rm -rf "$BENCH_DIR/home"
	small_rss=$(cut -d' ' -f2 "$BENCH_DIR/small.times")
fi

awk -v pr="$peer_rows" -v ps="$peer_s" -v or="$our_rows" -v os="$our_s" \
    -v pc="$peer_cpu" -v oc="$our_cpu" -v rss="$our_rss" -v srss="$small_rss" -v sc="$SMALL_CARDS" -v c="$CARDS" 'BEGIN {
	printf "import: sqlite3 .import (peer): %d rows in %.2f s = %.0f rows/s\n", pr, ps, pr / ps
	printf "import: czynsze import (ours):  %d rows in %.2f s = %.0f rows/s, peak RSS %.0f MB\n",
	    or, os, or / os, rss / 1024
	printf "import: ratio ours/peer (rows/s): %.2f\n", (or / os) / (pr / ps)
	printf "import: CPU time (user + sys): peer %.1f s, ours %.1f s; rows per CPU second: peer %.0f, ours %.0f\n",
	    pc, oc, pr / pc, or / oc
	if (srss != "")
		printf "import: peak RSS, small export (%d cards) %.0f MB, this export %.0f MB\n",
		    sc, srss / 1024, rss / 1024
}'
