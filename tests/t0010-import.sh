#!/bin/sh
# t0010-import.sh — the importer on the good fixtures: statements match the
# hand-computed JSON, re-import changes nothing, older exports are refused.
. "$(dirname "$0")/lib.sh"
plan 17
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
DB=$CZYNSZE_HOME/czynsze.db

ok "first night imports" "$CZ" import "$N1"
for f in "$FIX"/expected/ksm-20211228/statement-*.json; do
	id=$(basename "$f" .json); id=${id#statement-}
	"$CZ" statement --json "$id" > "$SCRATCH/$id.json" 2>&1 || echo "statement $id failed" >> "$SCRATCH/fail"
	python3 "$TOP/tests/json-equal.py" "$SCRATCH/$id.json" "$f" >> "$SCRATCH/fail" 2>&1 || echo "statement $id differs" >> "$SCRATCH/fail"
done
ok "every statement equals the hand-computed JSON" sh -c "[ ! -s '$SCRATCH/fail' ] || { cat '$SCRATCH/fail'; exit 1; }"

sum1=$(sha256sum < "$DB")
ok "importing the same export again succeeds" "$CZ" import "$N1"
is "$(sha256sum < "$DB")" "$sum1" "... and leaves the database byte-for-byte as it was"

"$CZ" statement --json NOBODY > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 1 "unknown person exits 1"
ok "... with a clear message" grep -q "unknown person (NOBODY)" "$SCRATCH/err"

"$CZ" import "$N2" > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 0 "second night imports"
ok "the balance mismatch is reported as a warning" grep -q "warning: card K000950" "$SCRATCH/err"

"$CZ" import "$N1" > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 6 "an older export is refused (exit 6)"
ok "... naming --force" grep -q -- "--force" "$SCRATCH/err"

"$CZ" import --force "$N1" > /dev/null 2>&1
is "$(sqlite3 "$DB" 'SELECT generated_at FROM export')" "2021-12-28T02:00:13" "--force imports it anyway"

is "$(sqlite3 "$DB" "SELECT group_concat(outcome, ',') FROM (SELECT outcome FROM import_run ORDER BY id)")" \
   "ok,ok,refused,ok" "every run is in the import log"

# A database built by an older czynsze (here: no card_digest, an older
# schema version): generate says what to do, and importing the same
# export again rebuilds it instead of calling it unchanged.
sqlite3 "$DB" "DROP TABLE card_digest; PRAGMA user_version = 2"
"$CZ" generate --templates "$TOP/site-templates" > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 1 "generate on a database from an older czynsze exits 1"
ok "... saying to import the export again" grep -q "older czynsze.*czynsze import" "$SCRATCH/err"
ok "importing the same export then rebuilds the database" "$CZ" import "$N1"
is "$(sqlite3 "$DB" "SELECT count(*) FROM card_digest")" 9 "... with its card_digest"
ok "... which generate takes" "$CZ" generate --templates "$TOP/site-templates"
done_testing
