#!/bin/sh
# seed.sh HARNESS DIR — fills DIR with the seed corpus of a fuzz harness:
# the fixtures' files of the kind it reads (good and broken exports) and
# the hand-written seeds in tests/fuzz/seeds/HARNESS/.  Deterministic.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
name=$1 dir=$2
mkdir -p "$dir"
n=0
add() { n=$((n + 1)); cp "$1" "$dir/fixture-$n"; }
case $name in
csv|text) for f in "$TOP"/fixtures/ksm-*/*.csv "$TOP"/fixtures/v2/*/*.csv "$TOP"/fixtures/broken/*/*.csv; do add "$f"; done ;;
xml) for f in "$TOP"/fixtures/ksm-*/*.xml "$TOP"/fixtures/v2/*/*.xml "$TOP"/fixtures/broken/*/*.xml; do add "$f"; done ;;
decimal) ;;
html) for f in "$TOP"/site-templates/*.html; do [ -f "$f" ] && add "$f"; done ;;
*) echo "seed.sh: unknown harness $name" >&2; exit 2 ;;
esac
if [ -d "$TOP/tests/fuzz/seeds/$name" ]; then
	for f in "$TOP/tests/fuzz/seeds/$name"/*; do
		[ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$f")"
	done
fi
exit 0
