#!/bin/sh
# run.sh SECONDS [HARNESS...] — `make fuzz`: runs each libFuzzer harness
# (build/fuzz/fuzz/fuzz_NAME, built by `make fuzz-build`) for SECONDS,
# keeping its growing corpus in build/fuzz/corpus/NAME (seeded from the
# fixtures, tests/fuzz/seed.sh) and crashes in build/fuzz/artifacts/NAME.
# Prints the executions per harness; exits 1 if any harness failed.
# A crash found here belongs in tests/fuzz/regressions/NAME/ once fixed.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
[ $# -gt 0 ] && shift
names=${*:-csv xml text decimal html}
status=0
for name in $names; do
	bin=$TOP/build/fuzz/fuzz/fuzz_$name
	corpus=$TOP/build/fuzz/corpus/$name
	art=$TOP/build/fuzz/artifacts/$name
	log=$TOP/build/fuzz/fuzz_$name.log
	[ -x "$bin" ] || { echo "fuzz: $bin missing (make fuzz-build)" >&2; exit 2; }
	sh "$TOP/tests/fuzz/seed.sh" "$name" "$corpus"
	mkdir -p "$art"
	dict=
	[ -f "$TOP/tests/fuzz/$name.dict" ] && dict=-dict=$TOP/tests/fuzz/$name.dict
	echo "fuzz: $name for ${secs}s" >&2
	# shellcheck disable=SC2086
	if ! "$bin" $dict -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 -print_final_stats=1 -artifact_prefix="$art/" "$corpus" \
	    > "$log" 2>&1; then
		echo "fuzz: $name FAILED, see $log and $art/" >&2
		tail -30 "$log" >&2
		status=1
	fi
	printf 'fuzz: %-8s executions %s, corpus %s files\n' "$name" \
	    "$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")" \
	    "$(find "$corpus" -type f | wc -l)"
done
exit $status
