#!/bin/sh
# t0830-fuzz-smoke.sh — every libFuzzer harness (tests/fuzz/) replays its
# regression inputs (tests/fuzz/regressions/NAME/: crashes found and
# fixed) and then fuzzes for a short bounded time from the fixtures' seeds,
# so that a regression in a parser surfaces in `make check`.
#
# The harnesses are built by `make fuzz-build` (clang, libFuzzer, ASan and
# UBSan: they are sanitized builds already, so the sanitizer pass of
# tests/run.sh skips this script).  Without them the script skips, unless
# CZYNSZE_REQUIRE_FUZZ=1 (as `make check` sets) makes that a failure.
# Seconds per harness: CZYNSZE_FUZZ_SECONDS (default 10).
. "$(dirname "$0")/lib.sh"
names="csv xml text decimal html"
FZ=$TOP/build/fuzz/fuzz
secs=${CZYNSZE_FUZZ_SECONDS:-10}

if [ -n "${CZYNSZE_SANITIZED:-}" ]; then
	echo "1..0 # SKIP the harnesses are sanitized builds; run once, in the normal pass"
	exit 0
fi
if [ ! -x "$FZ/fuzz_csv" ] && [ "${CZYNSZE_REQUIRE_FUZZ:-0}" != 1 ]; then
	echo "1..0 # SKIP fuzz harnesses not built (make fuzz-build)"
	exit 0
fi
plan $(( $(echo $names | wc -w) * 2 ))
for name in $names; do
	bin=$FZ/fuzz_$name
	regs=$(find "$TOP/tests/fuzz/regressions/$name" -type f 2>/dev/null | sort)
	mkdir -p "$SCRATCH/corpus-$name" "$SCRATCH/seeds-$name" "$SCRATCH/art-$name"
	# Replaying files runs each once and fails on the first report.
	# shellcheck disable=SC2086
	ok "$name: $(echo $regs | wc -w) regression inputs replay cleanly" \
	    sh -c "[ -x '$bin' ] && { [ -z '$regs' ] || '$bin' \
	        -artifact_prefix='$SCRATCH/art-$name/' $(echo $regs) ; }"
	sh "$TOP/tests/fuzz/seed.sh" "$name" "$SCRATCH/seeds-$name"
	# New units go to the scratch corpus (first directory), never the tree.
	ok "$name: ${secs}s of fuzzing from the seeds finds nothing" \
	    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix="$SCRATCH/art-$name/" \
	    "$SCRATCH/corpus-$name" "$SCRATCH/seeds-$name"
done
done_testing
