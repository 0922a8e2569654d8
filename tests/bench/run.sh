#!/bin/sh
# run.sh — `make bench`: runs every tests/bench/*.sh except itself, one
# after the other, so that each engineer's benchmark joins by being there.
# A benchmark that fails is reported and the others still run; the exit
# status says whether any failed.  Helpers the benchmarks share live in
# tests/bench/lib/ (not run themselves).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
status=0
for b in "$HERE"/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== bench: $(basename "$b") =="
	if ! sh "$b"; then
		echo "bench: $(basename "$b") failed" >&2
		status=1
	fi
done
exit $status
