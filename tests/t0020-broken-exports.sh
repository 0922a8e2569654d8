#!/bin/sh
# t0020-broken-exports.sh — every broken fixture fails with its documented
# error (fixtures/broken/*/expected-error), and the live data stays intact.
. "$(dirname "$0")/lib.sh"
cases=$(ls -d "$FIX"/broken/*/)
plan $(( $(echo "$cases" | wc -l) * 2 + 1 ))
DB=$CZYNSZE_HOME/czynsze.db

# Everything but the import log, which records the failed runs.
data_digest() {
	sqlite3 "$DB" .dump | grep -v 'INSERT INTO import_run' | sha256sum
}
ok "a good export is live first" "$CZ" import "$FIX/ksm-20211228"
before=$(data_digest)
for d in $cases; do
	name=$(basename "$d")
	want=$(cat "$d/expected-error")
	"$CZ" import --force "$d" > "$SCRATCH/out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$want" "$SCRATCH/out"; then
		echo "ok $((_n = _n + 1)) - $name: exit 1 with '$want'"
	else
		echo "not ok $((_n = _n + 1)) - $name: exit $rc, want 1 with '$want'"
		sed 's/^/#   /' "$SCRATCH/out"
		_failed=$((_failed + 1))
	fi
	# The failed run is logged in the live database: compare the data only.
	is "$(data_digest)" "$before" "$name: live data unchanged"
done
done_testing
