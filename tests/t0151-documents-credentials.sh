#!/bin/sh
# t0151-documents-credentials.sh — the residents' documents follow their
# logins in every kept generation, like the statement's bundle: issue
# seals them into the live generation at once; reset re-seals them for the
# new key as r/LOGIN.2.dTOKEN.bin (the old ones gone, the old key opens
# none); revoke removes them (a co-holder's own copy stays); rollback and
# the next nightly keep that, and the next nightly seals nothing again
# (the files are the previous generation's, hard-linked).  Through real
# nginx with the default configuration.  Generations are named by the
# fixtures' export timestamps.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/nginx-lib.sh"
trap 'nginx_stop; rm -rf "$SCRATCH"' EXIT
plan 16
H=$CZYNSZE_HOME
NIGHTLY="$CZ nightly --settle-ms 0 --templates $TOP/site-templates"
row() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$3"; }
# token ID: the name token of a document (generator/docseal.h)
dtoken() { python3 -c "import hashlib,sys; print(hashlib.sha256(b'czynsze v1 document\0' + sys.argv[1].encode() + b'\0' + sys.argv[2].encode()).hexdigest()[:32])" \
    "$1" "$(sqlite3 "$H/czynsze.db" "SELECT sha256 FROM document WHERE id = '$1'")"; }

ok "nginx is installed (scripts/deps.sh)" nginx_need
$NIGHTLY "$FIX/v2/ksm-20211230" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/l1" --site-url https://e.example.pl/ > /dev/null 2>&1
C=$SCRATCH/l1/credentials.csv
LA=$(row O0001 6 "$C"); PA=$(row O0001 7 "$C")
LC=$(row O0003 6 "$C"); LF=$(row O0006 6 "$C"); PF=$(row O0006 7 "$C")
ZAW=$(dtoken ZAW-2021-000451); ROZ=$(dtoken ROZ-2021-B07-1-3)
ok "issue seals the new logins' documents into the live generation at once" sh -c "
   python3 '$TOP/tests/czynsze-open.py' '$H/site/www/r/$LA.bin' '$LA' --password '$PA' \
     --document '$H/site/www/r/$LA.d$ZAW.bin' | cmp - '$FIX/v2/ksm-20211230/dokumenty/2021/ZAW-2021-000451.pdf'"
$NIGHTLY "$FIX/v2/ksm-20211231" > /dev/null 2>&1
is "$(ls "$H/sites" | wc -l | tr -d ' ')" 2 "two generations"
G1=$(ls "$H/sites" | head -1); G2=$(ls "$H/sites" | tail -1)
ok "the nightly kept the issued documents: the same file, not sealed again" \
   [ "$(stat -c %i "$H/sites/$G1/www/r/$LA.d$ZAW.bin")" = "$(stat -c %i "$H/site/www/r/$LA.d$ZAW.bin")" ]

PORT=$(free_port)
"$CZ" nginx-conf --listen "127.0.0.1:$PORT" --server-name localhost --access-log off > "$SCRATCH/czynsze.conf"
ok "nginx starts with the default configuration" nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf"
B=http://127.0.0.1:$PORT
tok() { python3 "$TOP/tests/czynsze-token.py" "$H/access" "$1" "$2"; }
code() { curl -s -o "$SCRATCH/got" -w '%{http_code}' -u "$1:$2" "$B/r/$3"; }
TA=$(tok "$LA" "$PA")
is "$(code "$LA" "$TA" "$LA.d$ZAW.bin")" 200 "before: A fetches A's notice"
dk_a=$(sqlite3 "$H/keys.db" "SELECT hex(data_key) FROM login WHERE login = '$LA'")

"$CZ" credentials reset O0001 --letters "$SCRATCH/l2" --site-url https://e.example.pl/ > /dev/null 2>&1
PA2=$(row O0001 7 "$SCRATCH/l2/credentials.csv"); TA2=$(tok "$LA" "$PA2")
ok "reset: A's documents are r/$LA.2.d*.bin in every generation, the old ones gone" sh -c "
   for g in '$H'/sites/*/; do ls \"\$g/www/r/\" | grep -q '^$LA\.d' && exit 1;
     [ -f \"\$g/www/r/$LA.2.d$ZAW.bin\" ] || exit 1; done"
ok "... the new password opens them, to the export's bytes" sh -c "
   python3 '$TOP/tests/czynsze-open.py' '$H/site/www/r/$LA.2.bin' '$LA' --password '$PA2' \
     --document '$H/site/www/r/$LA.2.d$ZAW.bin' | cmp - '$FIX/v2/ksm-20211231/dokumenty/2021/ZAW-2021-000451.pdf'"
ok "... the old data key does not" sh -c "
   ! python3 '$TOP/tests/czynsze-open.py' '$H/site/www/r/$LA.2.bin' '$LA' --key '$dk_a' \
     --document '$H/site/www/r/$LA.2.d$ZAW.bin' > /dev/null 2>&1"
is "$(code "$LA" "$TA2" "$LA.2.d$ZAW.bin")" 200 "... and nginx serves them to the new token"
is "$(code "$LA" "$TA" "$LA.2.d$ZAW.bin")" 401 "... not to the old one"

"$CZ" credentials revoke O0003 > /dev/null 2>&1
ok "revoke: C's documents are gone from every generation" sh -c "! ls '$H'/sites/*/www/r/ | grep -q '^$LC\.'"
ok "... while F's copy of the premises' settlement stays and opens" sh -c "
   python3 '$TOP/tests/czynsze-open.py' '$H/site/www/r/$LF.bin' '$LF' --password '$PF' \
     --document '$H/site/www/r/$LF.d$ROZ.bin' | cmp - '$FIX/v2/ksm-20211231/dokumenty/2021/ROZ-2021-B07-1-3.pdf'"

"$CZ" rollback > /dev/null 2>&1
is "$(code "$LA" "$TA2" "$LA.2.d$ZAW.bin")" 200 "after rollback: A's new token still fetches A's notice"

N3=$SCRATCH/ksm-20220101
cp -r "$FIX/v2/ksm-20211231" "$N3"
sed -i 's/wygenerowano="2021-12-31T02:00:[0-9]*"/wygenerowano="2022-01-01T02:00:07"/' "$N3/eksport.xml"
$NIGHTLY "$N3" > "$SCRATCH/n3.out" 2>&1
ok "the next nightly publishes" [ "$(readlink "$H/site")" = "sites/20220101T020007" ]
ok "... keeps A's re-sealed documents as they were in the generation it started from (rolled back to: hard-linked, not sealed again) and has none of C's" sh -c "
   [ \$(stat -c %i '$H/site/www/r/$LA.2.d$ZAW.bin') = \$(stat -c %i '$H/sites/$G1/www/r/$LA.2.d$ZAW.bin') ] &&
   ! ls '$H/site/www/r/' | grep -q '^$LC\.' && ! ls '$H/site/www/r/' | grep -q '^$LA\.d'"
done_testing
