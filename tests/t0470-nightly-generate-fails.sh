#!/bin/sh
# t0470-nightly-generate-fails.sh — the generate step itself fails (a
# template with a placeholder nobody defines): nightly exits nonzero,
# names the step and the file, says what to do (not "the export is
# bad"), leaves the live site, database and snapshots byte for byte as
# they were and no staging behind, and status.json says failed.  The
# next night with good templates goes through.
. "$(dirname "$0")/lib.sh"
plan 11
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
H=$CZYNSZE_HOME
BROKEN=$SCRATCH/templates
NIGHTLY="$CZ nightly --settle-ms 1"

ok "the first night succeeds" $NIGHTLY --templates "$TOP/site-templates" "$N1"
cp -R "$TOP/site-templates" "$BROKEN"
line=$(($(wc -l < "$BROKEN/index.html") + 1))
echo '<p>{{no_such_value}}</p>' >> "$BROKEN/index.html"

live_state > "$SCRATCH/before"
$NIGHTLY --templates "$BROKEN" "$N2" > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
is "$rc" 1 "a template nobody can render: nightly fails (exit 1)"
ok "... naming the step, the template and its line" \
   grep -qF "czynsze nightly: failed: generate: index.html:$line: unknown placeholder {{no_such_value}}" "$SCRATCH/err"
ok "... saying to correct the template, not that the export is bad" sh -c "
   grep -q 'Correct the template, then run czynsze nightly again' '$SCRATCH/err' &&
   ! grep -q 'export is bad' '$SCRATCH/err'"
live_state > "$SCRATCH/after"
ok "live site, database and snapshots are byte for byte as they were" \
   cmp "$SCRATCH/before" "$SCRATCH/after"
is "$(readlink "$H/site")" "sites/20211228T020013" "... yesterday's generation stays live"
ok "no leftovers (staging, generation, incoming copy, pending marker, old database link)" sh -c "
   [ \"\$(ls -A '$H/sites')\" = 20211228T020013 ] &&
   ! ls -a '$H/exports' | grep -q '^\.incoming' &&
   test ! -e '$H/nightly.pending' && test ! -e '$H/czynsze.db.prev' &&
   test ! -e '$H/czynsze.db.new'"
ok "status.json says failed, with the step and the file" sh -c "
   grep -q '\"outcome\": \"failed\"' '$H/status.json' &&
   grep -q '\"exit_status\": 1' '$H/status.json' &&
   grep -q '\"message\": \"generate: index.html:$line: unknown placeholder' '$H/status.json'"
ok "the database still holds the first night" sh -c "
   [ \"\$(sqlite3 '$H/czynsze.db' 'SELECT generated_at FROM export')\" = 2021-12-28T02:00:13 ]"

ok "with the template corrected the same export goes through" \
   $NIGHTLY --templates "$TOP/site-templates" "$N2"
is "$(readlink "$H/site")" "sites/20211229T020007" "... and is live"
done_testing
