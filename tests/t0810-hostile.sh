#!/bin/sh
# t0810-hostile.sh — the importer against hostile exports
# (fixtures/hostile/make-hostile.py makes them here, in the scratch
# directory: some are megabytes, one a 5 GiB sparse file).
#
# Each case runs under explicit limits (docs/limits.md):
#   memory  ulimit -v $MEM_KB (256 MiB of address space; a good import of
#           the fixtures needs far less; skipped in the sanitizer build,
#           whose shadow memory reserves terabytes of address space)
#   time    timeout $SECS seconds (20; 100 under the sanitizers)
# and must: exit with status 1 (0 for the cases marked OK), never by a
# signal (status < 128, no timeout), print the expected message (file,
# line, field), and leave the live database as it was.
. "$(dirname "$0")/lib.sh"
MEM_KB=262144
SECS=20
[ -n "${CZYNSZE_SANITIZED:-}" ] && SECS=100
H=$SCRATCH/hostile
DB=$CZYNSZE_HOME/czynsze.db

python3 "$FIX/hostile/make-hostile.py" "$H" || { echo "1..0 # SKIP make-hostile.py failed"; exit 1; }
cases=$(ls "$H")
plan $(( $(echo "$cases" | wc -l) * 2 + 2 ))

limited() {
	(
		[ -z "${CZYNSZE_SANITIZED:-}" ] && ulimit -v $MEM_KB
		exec timeout -s KILL $SECS "$CZ" "$@"
	)
}
data_digest() {
	sqlite3 "$DB" .dump | grep -v 'INSERT INTO import_run' | sha256sum
}

ok "the good export imports within the same limits" limited import "$FIX/ksm-20211228"
before=$(data_digest)
for name in $cases; do
	[ "$(cat "$H/$name/expected-error")" = OK ] && continue
	want=$(cat "$H/$name/expected-error")
	limited import --force "$H/$name" > "$SCRATCH/out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$want" "$SCRATCH/out"; then
		echo "ok $((_n = _n + 1)) - $name: exit 1 with '$want'"
	else
		echo "not ok $((_n = _n + 1)) - $name: exit $rc, want 1 with '$want'"
		[ $rc -ge 128 ] && echo "#   killed by signal $((rc - 128)) (137: time or memory limit)"
		head -5 "$SCRATCH/out" | cut -c1-200 | sed 's/^/#   /'
		_failed=$((_failed + 1))
	fi
	is "$(data_digest)" "$before" "$name: live data unchanged"
done
# Nothing of /etc/passwd came in through the external entity.
ok "no file content leaked through an entity" sh -c "! sqlite3 '$DB' .dump | grep -q 'root:'"
# Exports that must import: they change the live data, so they come last.
for name in $cases; do
	[ "$(cat "$H/$name/expected-error")" = OK ] || continue
	ok "$name: imports (exit 0)" limited import --force "$H/$name"
	case $name in
	header-only-obroty)
		is "$(sqlite3 "$DB" 'SELECT count(*) FROM booking')" 0 "$name: zero bookings" ;;
	*)
		is "$(sqlite3 "$DB" 'SELECT count(*) FROM export')" 1 "$name: an export is live" ;;
	esac
done
done_testing
