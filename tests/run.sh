#!/bin/sh
# run.sh — every test, through prove: the C unit tests (TAP) and the
# end-to-end scripts tests/tNNNN-*.sh (executable, TAP), first against the
# normal build, then all again against the sanitizer build (build/asan:
# AddressSanitizer, UndefinedBehaviorSanitizer, leak checking).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
BUILD=${BUILD:-build}
status=0

scripts=$(ls tests/t[0-9]*.sh 2>/dev/null)

echo "== tests: normal build ($BUILD) =="
# shellcheck disable=SC2046
BUILD=$BUILD prove -f $(ls "$BUILD"/tests/test_* 2>/dev/null) $scripts || status=1

if [ -x build/asan/czynsze ]; then
	echo "== tests: sanitizer build (build/asan) =="
	# Every report also goes to a file in $reports (log_path), so that a
	# report from a command whose exit status a test ignores (or expects
	# to be nonzero) still fails the run.
	reports=$(mktemp -d "${TMPDIR:-/tmp}/czynsze-san.XXXXXX")
	export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:exitcode=99:log_path=$reports/asan"
	export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
	export LSAN_OPTIONS="log_path=$reports/lsan"
	# shellcheck disable=SC2046
	BUILD=build/asan CZYNSZE_SANITIZED=1 prove -f $(ls build/asan/tests/test_* 2>/dev/null) \
	    $scripts || status=1
	# test_buf asks for more memory than exists, on purpose (with
	# allocator_may_return_null): ASan notes the refusal in the log,
	# which is not a report.
	for f in "$reports"/*; do
		[ -f "$f" ] || continue
		grep -qv '^==[0-9]*==WARNING: AddressSanitizer failed to allocate 0x[0-9a-f]* bytes$' \
		    "$f" || rm -f "$f"
	done
	if [ -n "$(ls "$reports")" ]; then
		echo "== sanitizer reports: $(ls "$reports" | wc -l) (each one fails the run); the first 3 =="
		for f in $(ls "$reports"/* | head -3); do
			echo "-- $f"
			head -60 "$f"
		done
		status=1
	else
		echo "== sanitizer build: no reports =="
	fi
	rm -rf "$reports"
fi
exit $status
