#!/bin/sh
# t0200-credentials.sh — issue, letters, check, reset, revoke; the password
# is nowhere but in the letters; C, Python and the browser's JS agree.
. "$(dirname "$0")/lib.sh"
plan 35
URL=https://e.example.pl/
KEYS=$CZYNSZE_HOME/keys.db
SITE=$SCRATCH/site
HT=$SCRATCH/htpasswd.d
mkdir -p "$SITE"

# csv PERSON COLUMN: a field of the person's row in the first batch's CSV.
csv() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$3"; }

"$CZ" import "$FIX/ksm-20211228" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/l1" --site-url "$URL" > "$SCRATCH/issue.out" 2> "$SCRATCH/issue.err"
is "$?" 0 "credentials issue succeeds"
C1=$SCRATCH/l1/credentials.csv
is "$(wc -l < "$C1" | tr -d ' ')" 7 "the CSV has a header and one row per card holder (6)"
is "$(head -c 3 "$C1" | od -An -tx1 | tr -d ' ')" efbbbf "the CSV starts with a UTF-8 BOM"
is "$(stat -c %a "$C1") $(stat -c %a "$SCRATCH/l1/O0001.html") $(stat -c %a "$SCRATCH/l1") $(stat -c %a "$KEYS")" \
   "600 600 700 600" "CSV, letters, their folder and keys.db are owner-only"
P1=$(csv O0001 7 "$C1"); L1=$(csv O0001 6 "$C1"); P2=$(csv O0002 7 "$C1"); L2=$(csv O0002 6 "$C1")
ok "the password is 5 groups of 4 from the look-alike-free alphabet" \
   sh -c "echo '$P1' | grep -Eqx '([2-9A-HJKMNP-Z]{4}-){4}[2-9A-HJKMNP-Z]{4}'"
ok "the login is 10 characters, not the person id" sh -c "echo '$L1' | grep -Eqx '[2-9a-hjkmnp-z]{10}'"
is "$(cut -d';' -f6 "$C1" | sort -u | wc -l | tr -d ' ')" 7 "every login differs"
ok "the letter has the address block, login, password and room 8" sh -c "
  grep -q 'class=\"address\">Anna Kowalska<br>ul. Armii Krajowej 12 m. 45<br>26-200 Końskie' '$SCRATCH/l1/O0001.html' &&
  grep -q '>$L1<' '$SCRATCH/l1/O0001.html' && grep -q '>$P1<' '$SCRATCH/l1/O0001.html' &&
  grep -q 'pokoju nr 8' '$SCRATCH/l1/O0001.html' && grep -q 'top: 50mm' '$SCRATCH/l1/O0001.html'"
ok "the company's quoted name is escaped in its letter" \
   grep -q 'Przedsiębiorstwo Usługowe &quot;ZAŻÓŁĆ GĘŚLĄ JAŹŃ&quot; Sp. z o.o.' "$SCRATCH/l1/O0005.html"
canon=$(echo "$P1" | tr -d -)
ok "the password is nowhere in keys.db, stdout or stderr" sh -c "
  ! grep -a -q -e '$P1' -e '$canon' '$KEYS' '$SCRATCH/issue.out' '$SCRATCH/issue.err' &&
  ! sqlite3 '$KEYS' .dump | grep -q -e '$P1' -e '$canon'"
ok "no output names a password" sh -c "! grep -q -E '[2-9A-Z]{4}-[2-9A-Z]{4}' '$SCRATCH/issue.out'"

"$CZ" credentials issue --letters "$SCRATCH/l1b" --site-url "$URL" > "$SCRATCH/out" 2>&1
ok "a second issue gives no one a second login" sh -c "grep -q 'already has a login' '$SCRATCH/out' && [ ! -e '$SCRATCH/l1b' ]"

# A bundle for O0001 (their statement JSON stands in for the generator's fragment).
"$CZ" statement --json O0001 > "$SCRATCH/frag1"
"$CZ" statement --json O0002 > "$SCRATCH/frag2"
mkdir -p "$SITE/r"
is "$("$CZ" credentials seal O0001 "$SITE/r/$L1.bin" < "$SCRATCH/frag1")" "$L1" "seal names the login's folder"
"$CZ" credentials seal O0002 "$SITE/r/$L2.bin" < "$SCRATCH/frag2" > /dev/null
ok "the bundle holds no name, address or amount in clear" sh -c "
  for s in Kowalska Anna 'Armii Krajowej' 934 K000451 Końskie; do ! grep -a -q \"\$s\" '$SITE/r/$L1.bin' || exit 1; done"
"$CZ" credentials seal O0001 "$SCRATCH/again.bin" < "$SCRATCH/frag1" > /dev/null
ok "sealing the same statement again gives the same bytes" cmp "$SITE/r/$L1.bin" "$SCRATCH/again.bin"
echo "$P1" | "$CZ" credentials check --print "$L1" "$SITE/r/$L1.bin" > "$SCRATCH/opened" 2>&1
ok "the password opens the bundle and the token verifies" cmp "$SCRATCH/opened" "$SCRATCH/frag1"
echo "$P2" | "$CZ" credentials check "$L1" "$SITE/r/$L1.bin" > "$SCRATCH/out" 2>&1
is "$?" 1 "another resident's password does not open it (exit 1)"
ok "... with one message for wrong login or password" grep -q "wrong login or password" "$SCRATCH/out"
echo "$P1" | "$CZ" credentials check "$L2" "$SITE/r/$L1.bin" > /dev/null 2>&1
is "$?" 1 "the bundle does not open under another login"

"$CZ" credentials publish "$SITE" --htpasswd "$HT" > /dev/null
is "$(ls "$SITE/auth" | wc -l | tr -d ' ')" 256 "publish writes all 256 salt shards"
is "$(cat "$HT"/?? | wc -l | tr -d ' ') $(ls "$HT" | wc -l | tr -d ' ') $(stat -c %a "$HT/_")" "6 1298 640" \
   "htpasswd.d: one line per login in 36x36 prefix files, '_' and Apache's 'all', mode 640"
ok "... 'all' holds the same lines" sh -c "[ \"\$(cat '$HT'/?? | sort)\" = \"\$(sort '$HT/all')\" ]"
HT1=$HT/$(echo "$L1" | cut -c1-2)
ok "htpasswd lines are login:{SHA} (nginx and Apache), in the file of the login's prefix" sh -c "grep -Eqx '$L1:\{SHA\}[A-Za-z0-9+/]{27}=' '$HT1'"
ok "the shards hold hashes, not logins" sh -c "! grep -rq '$L1' '$SITE/auth'"
ok "node: the browser code opens the C bundle; htpasswd verifies the token only" \
   node "$TOP/tests/node/czcrypto.test.mjs" "$SITE/r/$L1.bin" "$L1" "$P1" "$SITE" "$HT1" "$SCRATCH/frag1" "$P2" \
   $(sqlite3 "$CZYNSZE_HOME/czynsze.db" "SELECT generated_at, substr(manifest_sha256, 1, 16) FROM export" | tr '|' ' ')

# Reset: new password and a new data key, same login; the old password stops working.
dk_before=$(sqlite3 "$KEYS" "SELECT hex(data_key) FROM login WHERE person_id = 'O0001'")
"$CZ" credentials reset O0001 --letters "$SCRATCH/l2" --site-url "$URL" > /dev/null 2>&1
P1b=$(csv O0001 7 "$SCRATCH/l2/credentials.csv")
ok "reset issues a new password for the same login" sh -c "[ -n '$P1b' ] && [ '$P1b' != '$P1' ] && [ '$(csv O0001 6 "$SCRATCH/l2/credentials.csv")' = '$L1' ]"
ok "... with a new data key, key version 2" sh -c "[ \"\$(sqlite3 '$KEYS' \"SELECT hex(data_key) != '$dk_before' AND key_version = 2 FROM login WHERE person_id = 'O0001'\")\" = 1 ]"
"$CZ" credentials seal O0001 "$SITE/r/$L1.bin" < "$SCRATCH/frag1" > /dev/null
echo "$P1" | "$CZ" credentials check "$L1" "$SITE/r/$L1.bin" > /dev/null 2>&1
is "$?" 1 "after reset the old password fails to unwrap"
echo "$P1b" | "$CZ" credentials check "$L1" "$SITE/r/$L1.bin" > /dev/null 2>&1
is "$?" 0 "... and the new one works"

# Revoke.
"$CZ" credentials revoke O0001 > /dev/null 2>&1
is "$("$CZ" credentials list | awk -v l="$L1" '$2 == l { print $4 }')" revoked "revoke marks the login revoked"
is "$(sqlite3 "$KEYS" "SELECT hex(data_key) = hex(zeroblob(32)) AND token_hash = '' FROM login WHERE login = '$L1'")" 1 "... and destroys its keys"
"$CZ" credentials seal O0001 "$SCRATCH/x.bin" < "$SCRATCH/frag1" > "$SCRATCH/out" 2>&1
ok "a revoked person gets no bundle" grep -q "has no login" "$SCRATCH/out"
"$CZ" credentials publish "$SITE" --htpasswd "$HT" > /dev/null
h1=$(printf %s "$L1" | sha256sum | cut -c1-64)
ok "a revoked login leaves htpasswd and the salt shards" sh -c "! grep -rq '^$L1:' '$HT' && ! grep -rq '$h1' '$SITE/auth' && [ \$(cat '$HT'/?? | wc -l) -eq 5 ] && ! grep -q '^$L1:' '$HT/all'"
"$CZ" credentials issue --letters "$SCRATCH/l3" --site-url "$URL" > /dev/null 2>&1
ok "issue after revoke gives the person a new, different login" sh -c "
  [ \$(wc -l < '$SCRATCH/l3/credentials.csv') -eq 2 ] && L=\$(awk -F';' '\$1 == \"O0001\" { print \$6 }' '$SCRATCH/l3/credentials.csv') && [ -n \"\$L\" ] && [ \"\$L\" != '$L1' ]"
"$CZ" credentials revoke O0001 > /dev/null 2>&1; "$CZ" credentials revoke O0001 > "$SCRATCH/out" 2>&1
is "$?" 1 "revoking twice is an error (exit 1)"
done_testing
