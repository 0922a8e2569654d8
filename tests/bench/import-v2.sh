#!/bin/sh
# import-v2.sh — benchmark of `czynsze import` of a large export of format 2
# (meter readings and documents) against the same peer as import.sh, the
# sqlite3 tool's `.import` with journal and sync off (called by `make bench`).
#
#   BENCH_V2_CARDS=30000 BENCH_YEARS=10 BENCH_RUNS=3 sh tests/bench/import-v2.sh
#
# Settings (environment):
#   BENCH_DIR       where exports, databases and logs go (default build/bench)
#   BENCH_V2_CARDS  cards of the synthetic export (default 30000: ~6.3 M
#                   readings, ~50,000 PDFs of 20-200 KB, ~5.5 GB of them;
#                   the export, the peer's copy and a home need ~25 GB)
#   BENCH_YEARS     years of history (10)
#   BENCH_RUNS      runs of each contender; the median is reported (3)
#
# The export: fixtures/tools/gen-export.py --v2 --seed 1.  The peer loads
# what a bulk load of the same data needs and no more: the five CSV files
# (lokale, osoby, kartoteki, obroty, odczyty) converted to UTF-8, with
# `.import` into untyped tables it makes from the headers (no checks, no
# indexes, journal_mode and synchronous OFF, as in import.sh), and then
# `sha256sum` of every PDF in dokumenty/ (the least a document check is).
# Its rows are the CSV rows it stored.  Ours: `czynsze import --no-snapshot`,
# every row stored (import_run's counts plus meter_reading and document),
# typed, checked and indexed, each PDF opened without following links, its
# size, magic and SHA-256 checked, and copied into the document store
# (written, renamed, synced) before the database is committed.
#
# Prints rows/s of both, the ratio ours/peer, the wall time of both (the
# peer's split into .import and sha256sum), and CPU time (user + system).
# A benchmark, not a test: it asserts nothing and exits 0 unless something
# could not run at all.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
BENCH_DIR=${BENCH_DIR:-$TOP/build/bench}
CARDS=${BENCH_V2_CARDS:-30000}
YEARS=${BENCH_YEARS:-10}
RUNS=${BENCH_RUNS:-3}
CSVS="lokale.csv osoby.csv kartoteki.csv obroty.csv odczyty.csv"

. "$TOP/tests/bench/lib/median.sh"

if [ ! -x "$CZ" ]; then
	echo "import-v2: $CZ missing (run make)" >&2
	exit 1
fi
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
EXPORT=$BENCH_DIR/export-v2-$CARDS-$YEARS
if [ ! -f "$EXPORT/eksport.xml" ]; then
	echo "import-v2: making a synthetic v2 export ($CARDS cards, $YEARS years) in $EXPORT" >&2
	rm -rf "$EXPORT.tmp"
	python3 "$TOP/fixtures/tools/gen-export.py" --cards "$CARDS" --years "$YEARS" --seed 1 --v2 \
	    "$EXPORT.tmp" >&2
	rm -rf "$EXPORT" && mv "$EXPORT.tmp" "$EXPORT"
fi

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
} > "$BENCH_DIR/peer-v2.sql"
(cd "$EXPORT" && find dokumenty -type f -name '*.pdf' | sort) > "$BENCH_DIR/peer-v2.pdfs"
npdf=$(wc -l < "$BENCH_DIR/peer-v2.pdfs")

echo "import-v2: export $EXPORT ($(du -sh "$EXPORT" | cut -f1), $npdf PDFs), $RUNS runs each, on $(nproc) cores"
: > "$BENCH_DIR/peer-v2.times"
i=0
while [ $i -lt "$RUNS" ]; do
	rm -f "$BENCH_DIR/peer-v2.db"
	/usr/bin/time -o "$BENCH_DIR/peer-v2.one" -f "%e %M %U %S" sqlite3 "$BENCH_DIR/peer-v2.db" \
	    < "$BENCH_DIR/peer-v2.sql" > /dev/null
	/usr/bin/time -o "$BENCH_DIR/peer-v2.sha" -f "%e %M %U %S" sh -c \
	    "cd '$EXPORT' && xargs sha256sum < '$BENCH_DIR/peer-v2.pdfs' > /dev/null"
	paste -d' ' "$BENCH_DIR/peer-v2.one" "$BENCH_DIR/peer-v2.sha" >> "$BENCH_DIR/peer-v2.times"
	echo "import-v2: peer run $((i + 1)): .import $(cat "$BENCH_DIR/peer-v2.one"), sha256sum" \
	    "$(cat "$BENCH_DIR/peer-v2.sha") (wall s, KB max RSS, user s, sys s)" >&2
	i=$((i + 1))
done
peer_rows=$(sqlite3 "$BENCH_DIR/peer-v2.db" "SELECT (SELECT count(*) FROM t_lokale) + \
    (SELECT count(*) FROM t_osoby) + (SELECT count(*) FROM t_kartoteki) + \
    (SELECT count(*) FROM t_obroty) + (SELECT count(*) FROM t_odczyty)")
rm -f "$BENCH_DIR/peer-v2.db"

: > "$BENCH_DIR/ours-v2.times"
i=0
while [ $i -lt "$RUNS" ]; do
	rm -rf "$BENCH_DIR/home-v2"
	/usr/bin/time -o "$BENCH_DIR/ours-v2.one" -f "%e %M %U %S" "$CZ" --home "$BENCH_DIR/home-v2" \
	    import --no-snapshot "$EXPORT" > "$BENCH_DIR/import-v2.out" 2>&1 ||
	    { tail -5 "$BENCH_DIR/import-v2.out" >&2; echo "import-v2: czynsze import failed" >&2; exit 1; }
	cat "$BENCH_DIR/ours-v2.one" >> "$BENCH_DIR/ours-v2.times"
	echo "import-v2: ours run $((i + 1)): $(cat "$BENCH_DIR/ours-v2.one") (wall s, KB max RSS, user s, sys s)" >&2
	i=$((i + 1))
done
our_rows=$(sqlite3 "$BENCH_DIR/home-v2/czynsze.db" "SELECT (SELECT rows_premises + rows_people + \
    rows_cards + rows_bookings + rows_components + rows_announcements FROM import_run \
    WHERE outcome = 'ok' ORDER BY id DESC LIMIT 1) + (SELECT count(*) FROM meter_reading) + \
    (SELECT count(*) FROM document)")
our_docs=$(sqlite3 "$BENCH_DIR/home-v2/czynsze.db" "SELECT count(*) || ' documents, ' || \
    (SELECT count(*) FROM meter_reading) || ' readings' FROM document")
rm -rf "$BENCH_DIR/home-v2"

peer_imp=$(cut -d' ' -f1 "$BENCH_DIR/peer-v2.times" | median)
peer_sha=$(cut -d' ' -f5 "$BENCH_DIR/peer-v2.times" | median)
peer_s=$(awk '{ print $1 + $5 }' "$BENCH_DIR/peer-v2.times" | median)
peer_cpu=$(awk '{ print $3 + $4 + $7 + $8 }' "$BENCH_DIR/peer-v2.times" | median)
our_s=$(cut -d' ' -f1 "$BENCH_DIR/ours-v2.times" | median)
our_rss=$(cut -d' ' -f2 "$BENCH_DIR/ours-v2.times" | sort -n | tail -1)
our_cpu=$(awk '{ print $3 + $4 }' "$BENCH_DIR/ours-v2.times" | median)

awk -v pr="$peer_rows" -v ps="$peer_s" -v pi="$peer_imp" -v ph="$peer_sha" -v or="$our_rows" \
    -v os="$our_s" -v pc="$peer_cpu" -v oc="$our_cpu" -v rss="$our_rss" -v docs="$our_docs" 'BEGIN {
	printf "import-v2: peer (sqlite3 .import %.2f s + sha256sum of the PDFs %.2f s): %d rows in %.2f s = %.0f rows/s\n",
	    pi, ph, pr, ps, pr / ps
	printf "import-v2: czynsze import (ours, %s): %d rows in %.2f s = %.0f rows/s, peak RSS %.0f MB\n",
	    docs, or, os, or / os, rss / 1024
	printf "import-v2: ratio ours/peer (rows/s): %.2f\n", (or / os) / (pr / ps)
	printf "import-v2: CPU time (user + sys): peer %.1f s, ours %.1f s\n", pc, oc
}'
