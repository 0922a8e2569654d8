#!/bin/sh
# generate-documents.sh — benchmark of the residents' documents in
# `czynsze generate` (called by `make bench`).
#
#   sh tests/bench/generate-documents.sh [CARDS] [YEARS]   (default 30000 10)
#
# A v2 export made by fixtures/tools/gen-export.py --v2 --seed 1 (about
# 5/3 personal documents per card, 20-200 KB each, and the public ones;
# kept in $BENCH_DIR between runs) and its next night made by
# fixtures/tools/next-night.py --new-documents 100 (1 % of the documents
# get a new one for the same owner, 1 % of the cards a payment), both
# imported once (--no-snapshot); every card holder gets a login with
# random keys (lib/fake-keys.sh).  Then, BENCH_RUNS times (3) each:
#   1. full: generate into an empty folder — every statement rendered and
#      every personal document sealed once per resident who may see it
#      (the peer: what every night would cost if documents were sealed
#      anew each time);
#   2. the next night: its database, generate into a hard-linked copy of
#      the full run's folder (as nightly stages a generation): the new
#      documents are sealed, every other one is kept as it is (same
#      document, login and key version: site_resident.h), counted from
#      the "sealed" lines of -v.
# Medians, and the next night as a fraction of the full run.  Not a test:
# nothing here asserts a time.  BENCH_TOOLS: the folder of gen-export.py
# and next-night.py (default fixtures/tools).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
CARDS=${1:-30000}
YEARS=${2:-10}
TOOLS=${BENCH_TOOLS:-$TOP/fixtures/tools}
BENCH_DIR=${BENCH_DIR:-${TMPDIR:-/tmp}/czynsze-bench}
N1=$BENCH_DIR/export-v2-$CARDS-$YEARS
N2=$BENCH_DIR/export-v2-$CARDS-$YEARS-next
H=$BENCH_DIR/home-docs-$CARDS-$YEARS
OUT1=$BENCH_DIR/site-docs-$CARDS-$YEARS
OUT2=$BENCH_DIR/site-docs-$CARDS-$YEARS-next
RUNS=${BENCH_RUNS:-3}
JOBS=${BENCH_JOBS:+--jobs $BENCH_JOBS}
. "$TOP/tests/bench/lib/median.sh"

mkdir -p "$BENCH_DIR"
if [ ! -f "$N1/dokumenty.xml" ]; then
	echo "generate-documents: making a v2 export ($CARDS cards, $YEARS years) in $N1"
	rm -rf "$N1"
	python3 "$TOOLS/gen-export.py" --v2 --cards "$CARDS" --years "$YEARS" --seed 1 "$N1"
fi
if [ ! -f "$N2/dokumenty.xml" ]; then
	rm -rf "$N2"
	python3 "$TOOLS/next-night.py" --new-documents 100 "$N1" "$N2"
fi
if [ ! -f "$H/night2.db" ]; then
	rm -rf "$H"
	mkdir -p -m 700 "$H"
	cp "$TOP/fixtures/czynsze.conf" "$H/czynsze.conf"
	"$CZ" --home "$H" import --no-snapshot "$N1" > /dev/null
	cp "$H/czynsze.db" "$H/night1.db"
	sh "$TOP/tests/bench/lib/fake-keys.sh" "$H"
	"$CZ" --home "$H" import --no-snapshot "$N2" > /dev/null
	cp "$H/czynsze.db" "$H/night2.db"
fi
echo "generate-documents: $(sqlite3 "$H/night1.db" "SELECT count(*) FROM document WHERE owner_kind <> 'public'") personal documents" \
    "($(sqlite3 "$H/night1.db" "SELECT count(*) FROM person_document") person-document pairs)," \
    "$(sqlite3 "$H/night2.db" "SELECT count(*) FROM document") - $(sqlite3 "$H/night1.db" "SELECT count(*) FROM document") new the next night;" \
    "$(sqlite3 "$H/keys.db" "SELECT count(*) FROM login") logins; load $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) processors"

# run LABEL OUT TIMES: one generate -v into OUT; appends "wall user sys" to TIMES
run() {
	/usr/bin/time -o "$BENCH_DIR/one" -f "%e %U %S %M" \
	    "$CZ" --home "$H" generate -v $JOBS --templates "$TOP/site-templates" --out "$2" \
	    > "$BENCH_DIR/generate.out"
	read -r wall user sys rss < "$BENCH_DIR/one"
	echo "generate-documents ($1): $wall s wall, $user s user, $sys s system, $rss KB max RSS;" \
	    "$(grep -c '^sealed ' "$BENCH_DIR/generate.out" || true) documents sealed"
	echo "$wall $user $sys" >> "$3"
}

: > "$BENCH_DIR/docs-full.times"; : > "$BENCH_DIR/docs-next.times"
i=0
while [ $i -lt "$RUNS" ]; do
	cp "$H/night1.db" "$H/czynsze.db"
	rm -rf "$OUT1"
	run "full" "$OUT1" "$BENCH_DIR/docs-full.times"
	i=$((i + 1))
done
echo "generate-documents: site size $(du -sh "$OUT1" | cut -f1), sealed documents $(find "$OUT1/r" -name '*.d*.bin' | wc -l)"
i=0
while [ $i -lt "$RUNS" ]; do
	cp "$H/night2.db" "$H/czynsze.db"
	rm -rf "$OUT2"
	cp -al "$OUT1" "$OUT2"
	run "the next night, 1 % new documents" "$OUT2" "$BENCH_DIR/docs-next.times"
	i=$((i + 1))
done
cp "$H/night2.db" "$H/czynsze.db"

full=$(cut -d' ' -f1 "$BENCH_DIR/docs-full.times" | median)
next=$(cut -d' ' -f1 "$BENCH_DIR/docs-next.times" | median)
cpu() { awk '{ print $2 + $3 }' "$1" | median; }
echo "generate-documents: medians of $RUNS runs on $(nproc) processors, load $(cut -d' ' -f1-3 /proc/loadavg):"
echo "generate-documents:   full site (all sealed)     $full s wall, $(cpu "$BENCH_DIR/docs-full.times") s CPU"
echo "generate-documents:   next night, 1 % new docs   $next s wall, $(cpu "$BENCH_DIR/docs-next.times") s CPU," \
    "$(awk -v a="$next" -v b="$full" 'BEGIN { printf "%.3f", a / b }') of the full run"
