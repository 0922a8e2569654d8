#!/bin/sh
# t0041-import-v2.sh — the two format 2 nights (fixtures/v2): statements
# with readings and documents equal the independently computed JSON, the
# reading warnings are counted and printed, every document's PDF is in the
# store (owner-only) with the export's bytes, the store is pruned to what
# the live and the previous database name, and a v1 export still imports
# exactly as before.
. "$(dirname "$0")/lib.sh"
plan 20
N30=$FIX/v2/ksm-20211230
N31=$FIX/v2/ksm-20211231
DB=$CZYNSZE_HOME/czynsze.db
STORE=$CZYNSZE_HOME/documents

# statements_equal DIR: every person's statement --json equals DIR's
statements_equal() {
	: > "$SCRATCH/fail"
	for f in "$1"/statement-*.json; do
		id=$(basename "$f" .json); id=${id#statement-}
		"$CZ" statement --json "$id" > "$SCRATCH/$id.json" 2>&1 || echo "statement $id failed" >> "$SCRATCH/fail"
		python3 "$TOP/tests/json-equal.py" "$SCRATCH/$id.json" "$f" >> "$SCRATCH/fail" 2>&1 ||
		    echo "statement $id differs" >> "$SCRATCH/fail"
	done
	[ ! -s "$SCRATCH/fail" ] || { cat "$SCRATCH/fail"; return 1; }
}

# store_matches EXPORT: every document row's file is in the store, 0600,
# holding the bytes of the export's PDF; and the store holds nothing else
store_matches() {
	sqlite3 -separator ' ' "$DB" "SELECT sha256, path FROM document" | while read -r sha path; do
		f=$STORE/$(echo "$sha" | cut -c1-2)/$sha.pdf
		cmp -s "$f" "$1/$path" || { echo "$f differs from $1/$path"; exit 1; }
		[ "$(stat -c %a "$f")" = 600 ] || { echo "$f not 0600"; exit 1; }
	done &&
	[ "$(find "$STORE" -type f | wc -l)" = "$(sqlite3 "$DB" "SELECT count(DISTINCT sha256) FROM document")" ]
}

"$CZ" import "$N30" > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 0 "the first v2 night imports"
ok "every statement (readings, documents) equals the computed JSON" statements_equal "$FIX/expected/v2/ksm-20211230"
is "$(sqlite3 "$DB" "SELECT format FROM export; SELECT count(*) FROM meter_reading;
    SELECT count(*) FROM document" | tr '\n' ' ')" "2 15 5 " "format 2, 15 readings, 5 documents"
is "$(sqlite3 "$DB" "SELECT group_concat(reading_id || ':' || kind || ':' || expected_e3 || ':' || found_e3, ' ')
    FROM (SELECT * FROM reading_warning ORDER BY reading_id)")" \
   "R-0012:usage:2125:2200 R-0022:decrease:300000:298000" \
   "two reading warnings: the zuzycie that differs, the state that went down"
ok "... printed as warnings" grep -q "reading R-0022 of 2021-09-30: state 298 lower than the previous 300" "$SCRATCH/err"
ok "... both" grep -q "reading R-0012 of 2021-09-30: KSM consumption 2,2, the states give 2,125" "$SCRATCH/err"
is "$(sqlite3 "$DB" "SELECT count(*) FROM meter_reading WHERE usage_e3 IS NULL")" 8 \
   "no consumption for the first row of each of the 6 meters, the M row, the decrease"
ok "every document's PDF is in the store, 0600, with the export's bytes" store_matches "$N30"
is "$(find "$STORE" -type d ! -perm 700 | wc -l)" 0 "the store's folders are 0700"

sum=$(sha256sum < "$DB")
ok "importing the same v2 night again succeeds" "$CZ" import "$N30"
is "$(sha256sum < "$DB")" "$sum" "... and changes nothing"

# As nightly does: the previous database stays as czynsze.db.prev until
# the switch, and the store keeps its documents too.
ln "$DB" "$DB.prev"
upo=$(sqlite3 "$DB" "SELECT sha256 FROM document WHERE id = 'UPO-2021-000950'")
upo_file=$STORE/$(echo "$upo" | cut -c1-2)/$upo.pdf
"$CZ" import "$N31" > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 0 "the second v2 night (UTF-8, other column order) imports"
ok "every statement equals the computed JSON" statements_equal "$FIX/expected/v2/ksm-20211231"
ok "the dropped document's PDF stays while czynsze.db.prev names it" test -f "$upo_file"
rm "$DB.prev"
"$CZ" import --force "$N30" > /dev/null 2>&1 && "$CZ" import "$N31" > /dev/null 2>&1
ok "once nothing names it, the next import removes it" test ! -e "$upo_file"
ok "... and the store holds exactly the live documents" store_matches "$N31"

# A v1 export: no readings, no documents, the statements as before, and
# the store emptied (the v1 database names no document).
"$CZ" import --force "$FIX/ksm-20211229" > /dev/null 2>&1
is "$?" 0 "a v1 export still imports after v2 ones"
ok "... its statements equal the v1 JSON" statements_equal "$FIX/expected/ksm-20211229"
is "$(sqlite3 "$DB" "SELECT format FROM export")" 1 "... as format 1"
is "$(find "$STORE" -type f | wc -l)" 0 "... and the document store is empty"
done_testing
