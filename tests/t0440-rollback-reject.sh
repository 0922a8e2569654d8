#!/bin/sh
# t0440-rollback-reject.sh — `czynsze rollback` rejects the export it
# rolled back (by its manifest SHA-256): nightly refuses that export again
# (exit 6, one line, nothing live changed) until --force publishes it or
# a newer export arrives.
. "$(dirname "$0")/lib.sh"
plan 17
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
H=$CZYNSZE_HOME
NIGHTLY="$CZ nightly --settle-ms 1 --templates $TOP/site-templates"
SHA2=$(sha256sum < "$N2/eksport.xml" | cut -d' ' -f1)
live_state() { readlink "$H/site"; sha256sum < "$H/czynsze.db"; }

$NIGHTLY "$N1" > /dev/null 2>&1
$NIGHTLY "$N2" > /dev/null 2>&1
is "$(cat "$H/site/export.sha256")" "$SHA2" "a generation records its export's manifest SHA-256"
"$CZ" rollback > "$SCRATCH/out" 2>&1
ok "rollback says nightly will refuse that export" grep -q "nightly refuses the export of 20211229T020007" "$SCRATCH/out"
ok "... and records it as rejected, owner-only" sh -c "grep -q '^$SHA2 20211229T020007 ' '$H/rejected-exports' &&
   [ \$(stat -c %a '$H/rejected-exports') = 600 ]"

live_state > "$SCRATCH/before"
$NIGHTLY "$N2" > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
is "$rc" 6 "nightly refuses the rolled-back export: exit 6"
is "$(wc -l < "$SCRATCH/err")" 1 "... in one line"
ok "... which says why and what to do" grep -q "^czynsze nightly: refused: the export of 2021-12-29T02:00:07 was rolled back (.*Z).*nightly --force" "$SCRATCH/err"
live_state > "$SCRATCH/after"
ok "... changing nothing live" cmp "$SCRATCH/before" "$SCRATCH/after"
ok "... status.json says refused" grep -q '"outcome": "refused"' "$H/status.json"
$NIGHTLY "$N2" > /dev/null 2>&1; rc=$?
is "$rc" 6 "... the next night too"

$NIGHTLY --force "$N2" > "$SCRATCH/out" 2>&1; rc=$?
is "$rc" 0 "nightly --force publishes it"
is "$(readlink "$H/site")" "sites/20211229T020007.1" "... as a new generation"
ok "... and forgets the rejection" sh -c "! grep -q '^$SHA2' '$H/rejected-exports'"
$NIGHTLY "$N2" > /dev/null 2>&1; rc=$?
is "$rc" 0 "after that the same export is accepted again without --force"

# a rollback again, then a newer export: published without --force
"$CZ" rollback > /dev/null 2>&1
N3=$SCRATCH/ksm-20211230
cp -r "$N2" "$N3"
sed -i 's/wygenerowano="2021-12-29T02:00:07"/wygenerowano="2021-12-30T02:00:00"/' "$N3/eksport.xml"
$NIGHTLY "$N3" > "$SCRATCH/out" 2>&1; rc=$?
is "$rc" 0 "a newer export after a rollback is published"
is "$(readlink "$H/site")" "sites/20211230T020000" "... and is live"
ok "the rejection is documented: nightly --help, the manual" sh -c "
   '$CZ' nightly --help | grep -q -- '--force' && grep -q '^rejected is refused' '$TOP/man/czynsze.1' &&
   '$CZ' rollback --help | grep -q 'rejected'"
ok "... and the README" grep -q "nightly --force" "$TOP/README.md"
done_testing
