#!/bin/sh
# t0260-apache.sh — `czynsze apache-conf` started for real in Debian's
# apache2 on 127.0.0.1, with the request matrix of t0210-nginx.sh: 401
# without or with wrong credentials, 200 with the token, 403 for another
# resident's bundle, no listings, the security headers; the {SHA}
# verifiers both servers read; the access log without the login; on a
# live home with the default configuration, revoke and reset in force at
# the next request (no authentication cache).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/apache-lib.sh"
. "$TOP/tests/nginx-lib.sh"   # free_port
trap 'apache_stop; rm -rf "$SCRATCH"' EXIT
plan 42
URL=https://e.example.pl/
SITE=$SCRATCH/site
HT=$SCRATCH/htpasswd.d
LOG=$SCRATCH/alog/access.log

ok "apache2 is installed (scripts/deps.sh)" apache_need
"$CZ" import "$FIX/ksm-20211228" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/l" --site-url "$URL" > /dev/null 2>&1
row() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$SCRATCH/l/credentials.csv"; }
L1=$(row O0001 6); P1=$(row O0001 7); L2=$(row O0002 6); P2=$(row O0002 7)
mkdir -p "$SITE/r" "$SITE/js" "$SCRATCH/alog"
echo '<!DOCTYPE html><title>e-czynsze</title>' > "$SITE/index.html"
"$CZ" statement --json O0001 | "$CZ" credentials seal O0001 "$SITE/r/$L1.bin" > /dev/null
"$CZ" statement --json O0002 | "$CZ" credentials seal O0002 "$SITE/r/$L2.bin" > /dev/null
"$CZ" credentials publish "$SITE" --htpasswd "$HT" > /dev/null
T1=$(python3 "$TOP/tests/czynsze-token.py" "$SITE" "$L1" "$P1")
T2=$(python3 "$TOP/tests/czynsze-token.py" "$SITE" "$L2" "$P2")
# Apache's workers are nobody: let them through the scratch folder
chmod 711 "$SCRATCH" && chmod -R o+rX "$SITE" "$HT"
ok "htpasswd.d/all holds {SHA} verifiers (which Apache reads)" grep -Eqx "$L1:\{SHA\}[A-Za-z0-9+/]{27}=" "$HT/all"

PORT=$(free_port)
"$CZ" apache-conf --site "$SITE" --htpasswd "$HT" --listen "127.0.0.1:$PORT" \
    --server-name localhost --access-log "$LOG" > "$SCRATCH/czynsze-apache.conf"
ok "apache2 starts with the generated configuration" apache_start "$SCRATCH/apache" "$SCRATCH/czynsze-apache.conf" "$PORT"
B=http://127.0.0.1:$PORT

code() { curl -s -o "$SCRATCH/body" -D "$SCRATCH/headers" -w '%{http_code}' "$@"; }

is "$(code "$B/")" 200 "the public page: 200"
ok "... with the CSP" grep -qi "^content-security-policy: default-src 'self'; script-src 'self';.*frame-ancestors 'none'" "$SCRATCH/headers"
ok "... HSTS, no-referrer, nosniff" sh -c "grep -qi '^strict-transport-security: max-age=' '$SCRATCH/headers' &&
   grep -qi '^referrer-policy: no-referrer' '$SCRATCH/headers' && grep -qi '^x-content-type-options: nosniff' '$SCRATCH/headers'"
is "$(code "$B/r/$L1.bin")" 401 "a bundle without credentials: 401"
ok "... with a Basic challenge" grep -qi '^www-authenticate: Basic' "$SCRATCH/headers"
is "$(code -u "$L1:$T1" "$B/r/$L1.bin")" 200 "the resident's own bundle with the token: 200"
ok "... the very bytes of the bundle" cmp "$SCRATCH/body" "$SITE/r/$L1.bin"
ok "... Cache-Control: no-store and the security headers" sh -c "grep -qi '^cache-control: no-store' '$SCRATCH/headers' &&
   grep -qi '^content-security-policy:' '$SCRATCH/headers' && grep -qi '^x-content-type-options: nosniff' '$SCRATCH/headers'"
is "$(code -u "$L1:$T1" "$B/r/$L2.bin")" 403 "another resident's bundle with valid credentials: 403"
is "$(code -u "$L2:$T2" "$B/r/$L2.bin")" 200 "... which its owner reads: 200"
is "$(code -u "$L1:$P1" "$B/r/$L1.bin")" 401 "the raw password instead of the token: 401"
is "$(code -u "$L1:$T2" "$B/r/$L1.bin")" 401 "another resident's token: 401"
is "$(code -u "../$L1:$T1" "$B/r/$L1.bin")" 401 "a user name that is no login: 401"
is "$(code -u "$L1:$T1" "$B/r/$L1.bin/../$L2.bin" --path-as-is)" 403 "dot-dot into another resident's bundle: 403"
is "$(code -u "$L1:$T1" "$B/r/$L1.bin.old")" 403 "a name that only starts with the own bundle: 403"
is "$(code "$B/r/")" 401 "no listing of /r/ (401 without credentials)"
is "$(code -u "$L1:$T1" "$B/r/")" 403 "... nor with them (403)"
code "$B/auth/" > "$SCRATCH/c"
ok "no listing of /auth/" sh -c "[ \$(cat '$SCRATCH/c') = 403 ] || [ \$(cat '$SCRATCH/c') = 404 ]"
h=$(printf %s "$L1" | sha256sum | cut -c1-2)
is "$(code "$B/auth/$h.json")" 200 "the salt shard is public"
is "$(code -u "$L1:$T1" "$B/r/$L1.bin/%2e%2e/$L2.bin" --path-as-is)" 403 "encoded dot-dot into another resident's bundle: 403"
# Documents: r/LOGIN[.V].dTOKEN.bin, the same owner rule (web_conf.h).
D1=$SITE/r/$L1.d0123456789abcdef0123456789abcdef.bin
D2=$SITE/r/$L2.dfedcba9876543210fedcba9876543210.bin
head -c 3000 /dev/urandom > "$D1"; head -c 2000 /dev/urandom > "$D2"
cp "$D1" "$SITE/r/$L1.2.d0123456789abcdef0123456789abcdef.bin"
cp "$D1" "$SITE/r/$L1.d0123456789ABCDEF0123456789abcdef.bin"
cp "$D1" "$SITE/r/$L1.d0123456789abcdef0123456789abcde.bin"
is "$(code "$B/r/${D1##*/}")" 401 "a document without credentials: 401"
is "$(code -u "$L1:$T1" "$B/r/${D1##*/}")" 200 "the resident's own document: 200"
ok "... its very bytes" cmp "$SCRATCH/body" "$D1"
is "$(code -u "$L1:$T1" "$B/r/$L1.2.d0123456789abcdef0123456789abcdef.bin")" 200 "... and under a key version: 200"
is "$(code -u "$L1:$T1" "$B/r/${D2##*/}")" 403 "another resident's document: 403"
is "$(code -u "$L2:$T2" "$B/r/${D2##*/}")" 200 "... which its owner reads: 200"
is "$(code -u "$L1:$T1" "$B/r/$L1.d0123456789ABCDEF0123456789abcdef.bin")" 403 "a document name in upper case: 403"
is "$(code -u "$L1:$T1" "$B/r/$L1.d0123456789abcdef0123456789abcde.bin")" 403 "a document name one digit short: 403"
ok "the access log has every request, and no login" sh -c "[ \$(wc -l < '$LOG') -ge 15 ] && ! grep -q '$L1\|$L2' '$LOG' &&
   grep -q '\"GET /r/\*.bin\" 200 ' '$LOG'"

# Revoke and reset on a live home, Apache from the DEFAULT apache-conf (the
# live generation, the live logins in HOME/access): each in force at the
# very next request, with the server running (no authentication cache
# keeps the old verifier; each token was read twice before the command).
# The modes are the ones docs/security.md tells the office to set, with
# Apache's group: HOME passable, access.d group-readable with setgid, so
# the folder a revoke or reset writes is readable too.
apache_stop
LH=$SCRATCH/live
coop_conf "$LH"
live() { CZYNSZE_HOME=$LH "$CZ" "$@"; }
live nightly --settle-ms 0 --templates "$TOP/site-templates" "$FIX/ksm-20211228" > /dev/null 2>&1
live credentials issue --letters "$SCRATCH/ll" --site-url "$URL" > /dev/null 2>&1
lrow() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$3/credentials.csv"; }
LA=$(lrow O0001 6 "$SCRATCH/ll"); PA=$(lrow O0001 7 "$SCRATCH/ll")
LB=$(lrow O0002 6 "$SCRATCH/ll"); PB=$(lrow O0002 7 "$SCRATCH/ll")
LC=$(lrow O0003 6 "$SCRATCH/ll"); PC=$(lrow O0003 7 "$SCRATCH/ll")
chmod 711 "$LH" && chgrp -R "$(id -gn nobody)" "$LH/access.d" && chmod 2755 "$LH/access.d"
LPORT=$(free_port)
live apache-conf --listen "127.0.0.1:$LPORT" --server-name localhost --access-log off > "$SCRATCH/live.conf"
ok "the default apache-conf has no authentication cache" sh -c "
   ! grep -Eqi 'socache|AuthnCache' '$SCRATCH/live.conf' && grep -q 'AuthBasicProvider file\$' '$SCRATCH/live.conf'"
ok "apache2 starts with it (without mod_authn_socache)" apache_start "$SCRATCH/apache-live" "$SCRATCH/live.conf" "$LPORT"
LB_=http://127.0.0.1:$LPORT
ltoken() { python3 "$TOP/tests/czynsze-token.py" "$LH/access" "$1" "$2"; }
TA=$(ltoken "$LA" "$PA"); TB=$(ltoken "$LB" "$PB"); TC=$(ltoken "$LC" "$PC")
twice() { code -u "$1" "$2" > /dev/null; code -u "$1" "$2"; }
is "$(twice "$LA:$TA" "$LB_/r/$LA.bin") $(twice "$LB:$TB" "$LB_/r/$LB.bin")" "200 200" \
   "before: A and B read their bundles of the live generation (twice each)"
live credentials revoke O0001 > /dev/null 2>&1
is "$(code -u "$LA:$TA" "$LB_/r/$LA.bin")" 401 "right after revoke A, A's token: 401 (no restart, no wait)"
live credentials reset O0002 --letters "$SCRATCH/ll2" --site-url "$URL" > /dev/null 2>&1
is "$(code -u "$LB:$TB" "$LB_/r/$LB.bin")" 401 "right after reset B, B's old token: 401"
TB2=$(ltoken "$LB" "$(lrow O0002 7 "$SCRATCH/ll2")")
is "$(code -u "$LB:$TB2" "$LB_/r/$LB.2.bin")" 200 "... and B's new token reads B's new bundle (r/$LB.2.bin): 200"
ok "... which B's new password opens" sh -c "python3 '$TOP/tests/czynsze-open.py' '$SCRATCH/body' '$LB' \
   --password '$(lrow O0002 7 "$SCRATCH/ll2")' | grep -q 'Żółkiewski'"
is "$(code -u "$LC:$TC" "$LB_/r/$LC.bin")" 200 "C, untouched, still reads theirs: 200"
hB=$(printf %s "$LB" | sha256sum | cut -c1-2)
ok "the live salt shards at /auth/ (through the HOME/access symlink), B's new salt in it" sh -c "
   [ \$(curl -s -o '$SCRATCH/shard' -w '%{http_code}' '$LB_/auth/$hB.json') = 200 ] &&
   cmp '$SCRATCH/shard' '$LH/access/auth/$hB.json'"
"$CZ" apache-conf --site "$SITE" --htpasswd "$HT" --listen "127.0.0.1:$PORT" \
    --access-log "$LOG" --log-login > "$SCRATCH/login.conf"
ok "--log-login logs the login (%u)" grep -q 'czynsze_login$' "$SCRATCH/login.conf"
done_testing
