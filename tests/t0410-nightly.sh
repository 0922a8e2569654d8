#!/bin/sh
# t0410-nightly.sh — czynsze nightly over two consecutive nights, then a
# broken export that must leave the live site, database and snapshots
# byte for byte as they were; the lock; an export still arriving; rollback;
# status.json and `czynsze status` as a Nagios check; the config file.
. "$(dirname "$0")/lib.sh"
plan 45
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
BAD=$FIX/broken/17-truncated-obroty
H=$CZYNSZE_HOME
NIGHTLY="$CZ nightly --settle-ms 1 --templates $TOP/site-templates"

# --- first night ----------------------------------------------------------
out=$($NIGHTLY "$N1" 2>&1); rc=$?
is "$rc" 0 "first night succeeds"
is "$out" "" "... quietly (cron mails any output)"
is "$(readlink "$H/site")" "sites/20211228T020013" "HOME/site is a symlink to the night's generation"
ok "the live site has the public pages" sh -c "
   test -f '$H/site/www/index.html' && test -f '$H/site/www/komunikaty.html'"
ok "status.json says ok, with the export and counts" sh -c "
   grep -q '\"outcome\": \"ok\"' '$H/status.json' &&
   grep -q '\"exit_status\": 0' '$H/status.json' &&
   grep -q '\"export_generated_at\": \"2021-12-28T02:00:13\"' '$H/status.json' &&
   grep -q '\"cards\": 9' '$H/status.json' && grep -q '\"bookings\": 50' '$H/status.json' &&
   grep -q '\"warnings\": 2' '$H/status.json' &&
   grep -q '\"live_generation\": \"20211228T020013\"' '$H/status.json'"
ok "the log has a UTC-stamped line for the run" \
   grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z nightly\[[0-9]+\]: ok: export of 2021-12-28T02:00:13' "$H/czynsze.log"
is "$(stat -c %a "$H/czynsze.log")" 600 "the log is owner-only"
ok "the export is kept for re-import" test -f "$H/exports/ksm-20211228/eksport.xml"

# --- the same export again: nothing new ----------------------------------
out=$($NIGHTLY -v "$N1" 2>&1); rc=$?
is "$rc" 0 "the same export again succeeds"
ok "... -v prints one summary line saying unchanged" sh -c "
   [ \$(printf '%s\n' '$out' | wc -l) -eq 1 ] && printf '%s' '$out' | grep -q '^czynsze nightly: unchanged: export of 2021-12-28T02:00:13'"
is "$(ls "$H/sites")" "20211228T020013" "... and makes no new generation"

# --- second night, after IT issued the residents' logins -----------------
"$CZ" credentials issue --letters "$SCRATCH/letters" --site-url http://127.0.0.1/ > /dev/null 2>&1
ino1=$(stat -c %i "$H/site/www/css/$(ls "$H/site/www/css" | head -1)")
out=$($NIGHTLY "$N2" 2>&1); rc=$?
is "$rc" 0 "second night succeeds"
is "$(readlink "$H/site")" "sites/20211229T020007" "... and is live"
ok "yesterday's generation is kept for rollback" test -f "$H/sites/20211228T020013/www/index.html"
is "$(ls "$H/site/www/r"/*.bin | wc -l)" 6 "every resident with a login has a sealed statement"
is "$(stat -c %i "$H/site/www/css/$(ls "$H/site/www/css" | head -1)")" "$ino1" \
   "an unchanged file is the same inode (hard link, not rewritten)"
ok "a changed page differs between the generations" sh -c "
   ! cmp -s '$H/sites/20211228T020013/www/index.html' '$H/sites/20211229T020007/www/index.html'"
ok "yesterday's generation still says 28.12.2021" \
   grep -q "28.12.2021" "$H/sites/20211228T020013/www/index.html"

# --- a broken export: nothing live changes ---------------------------------
live_state > "$SCRATCH/before"
$NIGHTLY "$BAD" > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
is "$rc" 1 "a broken export exits 1 (bad export)"
ok "... saying what failed and what to do" sh -c "
   grep -q 'czynsze nightly: failed: obroty.csv' '$SCRATCH/err' &&
   grep -q 'yesterday.s site stays live' '$SCRATCH/err'"
live_state > "$SCRATCH/after"
ok "live site, database and snapshots are byte for byte as they were" \
   cmp "$SCRATCH/before" "$SCRATCH/after"
ok "no leftovers (staging, incoming copy, pending marker, old database link)" sh -c "
   ! ls -a '$H/sites' | grep -q '^\.staging' && ! ls -a '$H/exports' | grep -q '^\.incoming' &&
   test ! -e '$H/nightly.pending' && test ! -e '$H/czynsze.db.prev'"
ok "status.json says failed, keeps the last success" sh -c "
   grep -q '\"outcome\": \"failed\"' '$H/status.json' &&
   grep -q '\"exit_status\": 1' '$H/status.json' &&
   grep -q '\"last_success_export\": \"2021-12-29T02:00:07\"' '$H/status.json' &&
   grep -q '\"message\": \"obroty.csv:' '$H/status.json'"
"$CZ" status > "$SCRATCH/out"; rc=$?
is "$rc" 1 "czynsze status: WARNING (1) after a failed run"
ok "... in one line" sh -c "[ \$(wc -l < '$SCRATCH/out') -eq 1 ] && grep -q '^CZYNSZE WARNING - last run failed' '$SCRATCH/out'"

# --- an older export is refused ---------------------------------------------
live_state > "$SCRATCH/before"
$NIGHTLY "$N1" > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
is "$rc" 6 "an export older than the live one exits 6"
live_state > "$SCRATCH/after"
ok "... changing nothing live" cmp "$SCRATCH/before" "$SCRATCH/after"

# --- the lock ---------------------------------------------------------------
# the holder: a shell that takes the lock on fd 9, then becomes sleep (so
# that killing $holder kills the one process holding it)
( exec 9>>"$H/lock"; flock 9; exec sleep 30 ) & holder=$!
# wait until the holder has the lock (poll, not a timed assertion)
i=0; while flock -n "$H/lock" true 2>/dev/null && [ $i -lt 200 ]; do sleep 0.05; i=$((i+1)); done
$NIGHTLY "$N2" > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
is "$rc" 3 "a second run while the lock is held exits 3"
ok "... at once, with a clear message" grep -q "another czynsze run is in progress" "$SCRATCH/err"

# --- an export still arriving -----------------------------------------------
mkdir "$SCRATCH/arriving" && cp "$N2"/*.csv "$SCRATCH/arriving/"
$NIGHTLY "$SCRATCH/arriving" > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
is "$rc" 7 "no eksport.xml yet: exit 7 (not ready)"
ok "... and the log does not call it a failure" sh -c "
   tail -1 '$H/czynsze.log' | grep -q 'export not ready, nothing done' &&
   ! tail -1 '$H/czynsze.log' | grep -q error"
cp -r "$N2" "$SCRATCH/growing"
( sleep 0.5; echo "x" >> "$SCRATCH/growing/obroty.csv" ) & grower=$!
"$CZ" nightly --settle-ms 3000 --templates "$TOP/site-templates" "$SCRATCH/growing" \
    > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
wait $grower
is "$rc" 7 "a file that grows during the settle period: exit 7"
ok "... naming the file" grep -q "obroty.csv: still changing" "$SCRATCH/err"

# --- rollback -------------------------------------------------------------
ok "rollback succeeds" "$CZ" rollback
is "$(readlink "$H/site")" "sites/20211228T020013" "... and the site serves the previous generation"
"$CZ" rollback > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
is "$rc" 6 "rollback with nothing older refuses (6)"

# --- status as a monitoring check ------------------------------------------
ok "a nightly run after a rollback publishes again with --force (t0440)" $NIGHTLY --force "$N2"
is "$(readlink "$H/site")" "sites/20211229T020007.1" "... as a new generation of the same export"
"$CZ" status > "$SCRATCH/out"; rc=$?
is "$rc" 0 "czynsze status: OK (0) after a success"
ok "... naming the export" grep -q "^CZYNSZE OK - last run ok at .*, export of 2021-12-29T02:00:07" "$SCRATCH/out"
sed 's/"last_success_at": "[^"]*"/"last_success_at": "2020-01-01T00:00:00Z"/' "$H/status.json" > "$SCRATCH/s" &&
   cp "$SCRATCH/s" "$H/status.json"
"$CZ" status > "$SCRATCH/out"; rc=$?
is "$rc" 2 "czynsze status: CRITICAL (2) when the last success is over 36 h old"
"$CZ" --home "$SCRATCH/empty" status > "$SCRATCH/out"; rc=$?
is "$rc" 2 "czynsze status: CRITICAL (2) when nightly never ran"

# --- generations are pruned; the config file ------------------------------
{ cat "$FIX/czynsze.conf"; printf '# test\nkeep_generations = 1\nsettle_ms = 1\n'; } > "$H/czynsze.conf"
ok "keep_generations from czynsze.conf" sh -c "$NIGHTLY '$N2' && [ \$(ls '$H/sites' | wc -l) -ge 1 ]"
printf 'keep_generatons = 1\n' > "$H/czynsze.conf"
$NIGHTLY "$N2" > "$SCRATCH/out" 2> "$SCRATCH/err"; rc=$?
is "$rc" 2 "an unknown setting in czynsze.conf is a usage error"
ok "... naming the line" grep -q "czynsze.conf:1: unknown setting 'keep_generatons'" "$SCRATCH/err"
done_testing
