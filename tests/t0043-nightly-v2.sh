#!/bin/sh
# t0043-nightly-v2.sh — nightly with format 2 exports: the received copy
# holds dokumenty/ (the PDFs), the import fills the store; a link in the
# inbox's dokumenty/ is refused at receive; a night undone after its import
# (generate fails) takes its new documents out of the store again; the
# archived export re-imports.
. "$(dirname "$0")/lib.sh"
plan 10
N30=$FIX/v2/ksm-20211230
N31=$FIX/v2/ksm-20211231
H=$CZYNSZE_HOME
DB=$H/czynsze.db
NIGHTLY="$CZ nightly --settle-ms 1"

# the store holds exactly the documents the live database names
store_is_live() {
	[ "$(find "$H/documents" -type f -name '*.pdf' | sed 's|.*/||; s|\.pdf$||' | sort)" = \
	  "$(sqlite3 "$DB" "SELECT DISTINCT sha256 FROM document ORDER BY 1")" ]
}

ok "a v2 night goes through nightly" $NIGHTLY --templates "$TOP/site-templates" "$N30"
ok "... its archived copy holds the PDFs" \
   cmp "$H/exports/ksm-20211230/dokumenty/2021/ZAW-2021-000451.pdf" "$N30/dokumenty/2021/ZAW-2021-000451.pdf"
is "$(sqlite3 "$DB" "SELECT count(*) FROM document")/$(find "$H/documents" -type f | wc -l)" "5/5" \
   "... and the store the five documents"
is "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["warnings"])' "$H/status.json")" 4 \
   "status.json counts the reading warnings with KSM's others (2 + 2)"

cp -R "$N31" "$SCRATCH/inbox-link"
mv "$SCRATCH/inbox-link/dokumenty/2021/ZAW-2021-000320.pdf" "$SCRATCH/z.pdf"
ln -s "$SCRATCH/z.pdf" "$SCRATCH/inbox-link/dokumenty/2021/ZAW-2021-000320.pdf"
live_state > "$SCRATCH/before"
$NIGHTLY --templates "$TOP/site-templates" "$SCRATCH/inbox-link" > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 1 "a link inside the inbox's dokumenty/ is refused (exit 1)"
ok "... naming it" grep -q "ZAW-2021-000320.pdf: not a regular file or a folder (a link?)" "$SCRATCH/err"

cp -R "$TOP/site-templates" "$SCRATCH/templates"
echo '<p>{{no_such_value}}</p>' >> "$SCRATCH/templates/index.html"
$NIGHTLY --templates "$SCRATCH/templates" "$N31" > /dev/null 2>&1
is "$?" 1 "the next night fails in generate, after its import"
live_state > "$SCRATCH/after"
ok "... the live state is as it was" cmp "$SCRATCH/before" "$SCRATCH/after"
ok "... and the store holds the live documents only (not the undone night's new one)" store_is_live

ok "with good templates the night goes through, the store follows it" sh -c "
   $NIGHTLY --templates '$TOP/site-templates' '$N31' > /dev/null 2>&1 &&
   [ \"\$(sqlite3 '$DB' \"SELECT count(*) FROM document WHERE id = 'ZAW-2021-000320'\")\" = 1 ] &&
   test -z \"\$(find '$H/documents' -name '61*.pdf')\""
done_testing
