#!/bin/sh
# t0130-site-config.sh — the cooperative's details come from
# HOME/czynsze.conf: every page's footer shows them, and generate (and
# nightly, before it imports anything) refuses to run while a required one
# is missing, naming the setting.
. "$(dirname "$0")/lib.sh"
plan 13
N1=$FIX/ksm-20211228
OUT=$CZYNSZE_HOME/site-build
CONF=$CZYNSZE_HOME/czynsze.conf

"$CZ" import "$N1" > /dev/null 2>&1
ok "generate succeeds with the fixtures' configuration" \
   "$CZ" generate --templates "$TOP/site-templates"
ok "... and --plain too" "$CZ" generate --plain --templates "$TOP/site-templates"

footer_ok() {
	grep -qF 'Biuro Spółdzielni: pokój nr 8 (parter), poniedziałek–piątek 8:00–15:00, we wtorki do 17:00.' "$1" &&
	grep -qF '<a href="mailto:czynsze@sm-przyklad.example.pl">czynsze@sm-przyklad.example.pl</a>' "$1" &&
	grep -qF '<a href="tel:41 123 45 67">41 123 45 67</a>' "$1" &&
	grep -qF '<a href="https://czynsze.example.pl/">https://czynsze.example.pl/</a>' "$1"
}
n=0
for f in "$OUT"/*.html "$CZYNSZE_HOME/print/r/O0001/statement.html"; do
	footer_ok "$f" || { echo "# no details in the footer of $f"; n=$((n + 1)); }
done
is "$n" 0 "every public page and the printable statement carry the office's details"
is "$(ls "$OUT"/*.html | wc -l)" 7 "... (seven public pages checked, dokumenty.html among them)"

# a missing required value: generate stops and names it
cp "$CONF" "$SCRATCH/good.conf"
for key in contact_email dpo accessibility_updated; do
	grep -v "^$key " "$SCRATCH/good.conf" > "$CONF"
	rm -rf "$SCRATCH/out"
	"$CZ" generate --templates "$TOP/site-templates" --out "$SCRATCH/out" > /dev/null 2> "$SCRATCH/err"
	rc=$?
	ok "without $key generate fails ($rc), naming it" \
	   sh -c "[ $rc -ne 0 ] && grep -qF 'czynsze.conf: $key is not set' '$SCRATCH/err'"
done
ok "... and writes nothing" test ! -e "$SCRATCH/out"

grep -v "^site_url " "$SCRATCH/good.conf" > "$CONF"
"$CZ" nightly --settle-ms 0 --templates "$TOP/site-templates" "$FIX/ksm-20211229" \
   > /dev/null 2> "$SCRATCH/err"; rc=$?
ok "nightly refuses before importing, naming site_url" \
   sh -c "[ $rc -ne 0 ] && grep -qF 'czynsze.conf: site_url is not set' '$SCRATCH/err'"
is "$(sqlite3 "$CZYNSZE_HOME/czynsze.db" 'SELECT generated_at FROM export')" \
   "2021-12-28T02:00:13" "... the database still holds the first night"

{ cat "$SCRATCH/good.conf"; echo "regulamin_date = 31.02.2022"; } > "$CONF"
"$CZ" generate --templates "$TOP/site-templates" > /dev/null 2> "$SCRATCH/err"; rc=$?
ok "an impossible date is refused with its line" \
   sh -c "[ $rc -ne 0 ] && grep -qF 'czynsze.conf:15: not a date DD.MM.RRRR (31.02.2022)' '$SCRATCH/err'"
{ cat "$SCRATCH/good.conf"; echo "due_day = 31"; } > "$CONF"
"$CZ" generate --templates "$TOP/site-templates" > /dev/null 2> "$SCRATCH/err"; rc=$?
ok "due_day beyond 28 is refused" \
   sh -c "[ $rc -ne 0 ] && grep -qF 'not a number from 1 to 28 (31)' '$SCRATCH/err'"
{ grep -v '^due_day' "$SCRATCH/good.conf"; echo "dpo = iod@sm-przyklad.example.pl"; } > "$CONF"
ok "due_day may be left out (default 10) and dpo given" \
   "$CZ" generate --templates "$TOP/site-templates"
done_testing
