#!/bin/sh
# t0460-credentials-issue-jobs.sh — `credentials issue` derives the
# passwords on several threads (--jobs), shows progress on a terminal
# only, and stays all or nothing: a run killed (SIGKILL) while deriving,
# or just before its one keys.db transaction, has issued nobody and
# written no letters; the next run issues everyone.
. "$(dirname "$0")/lib.sh"
plan 10
H=$CZYNSZE_HOME
URL=https://e.example.pl/
EXP=$SCRATCH/export
python3 "$FIX/tools/gen-export.py" --cards 24 --years 1 --seed 7 "$EXP" > /dev/null 2>&1
"$CZ" import "$EXP" > /dev/null 2>&1
people=$(sqlite3 "$H/czynsze.db" "SELECT count(*) FROM person p WHERE EXISTS (SELECT 1 FROM card c WHERE c.person_id = p.id)")
logins() { sqlite3 "$H/keys.db" "SELECT count(*) FROM login" 2>/dev/null || echo 0; }
batches() { ls "$H/letters" 2>/dev/null | wc -l; }

# killed while deriving: nothing issued, no letters
"$CZ" credentials issue --jobs 1 --site-url "$URL" > /dev/null 2>&1 & pid=$!
sleep 1.5
kill -9 "$pid"; wait "$pid" 2>/dev/null
is "$(logins):$(batches)" "0:0" "killed while deriving passwords: nobody issued, no letters"
CZYNSZE_TEST_KILL_AT=issue-before-commit "$CZ" credentials issue --jobs 2 --site-url "$URL" > /dev/null 2>&1
is "$?" 137 "killed just before the transaction (test hook)"
is "$(logins):$(batches)" "0:0" "... nobody issued, no letters"

# a real run on two threads, not on a terminal: no progress lines
"$CZ" credentials issue --jobs 2 --site-url "$URL" > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 0 "issue --jobs 2 succeeds"
is "$(logins)" "$people" "... everyone with a card has a login ($people)"
is "$(sqlite3 "$H/keys.db" "SELECT count(DISTINCT login) || ':' || count(DISTINCT salt) || ':' || count(DISTINCT data_key) FROM login")" \
   "$people:$people:$people" "... logins, salts and data keys all different"
is "$(cat "$SCRATCH/err")" "" "... no progress output when stderr is not a terminal (cron, logs)"
# the passwords made on the threads work: two residents, sealed and checked
csv=$(ls "$H"/letters/*/credentials.csv)
ok "... the passwords derived on the threads open their bundles and verify" sh -c "
   for id in \$(awk -F';' 'NR > 1 { print \$1 }' '$csv' | sed -n '1p;\$p'); do
     l=\$(awk -F';' -v id=\$id '\$1 == id { print \$6 }' '$csv'); p=\$(awk -F';' -v id=\$id '\$1 == id { print \$7 }' '$csv')
     echo '<p>x</p>' | '$CZ' credentials seal \$id '$SCRATCH/b.bin' > /dev/null &&
     echo \$p | '$CZ' credentials check \$l '$SCRATCH/b.bin' > /dev/null || exit 1
   done"

# on a terminal: progress with count, rate and time
sqlite3 "$H/keys.db" "DELETE FROM login"
script -qec "'$CZ' credentials issue --jobs 2 --site-url '$URL'" /dev/null > "$SCRATCH/tty" 2>&1
ok "on a terminal it shows progress: count, rate, time" grep -q "passwords $people/$people, [0-9.]*/s, took [0-9]* s" "$SCRATCH/tty"
"$CZ" credentials issue --jobs 0 --site-url "$URL" > /dev/null 2>&1
is "$?" 2 "--jobs 0 is a usage error"
done_testing
