#!/bin/sh
# t0210-nginx.sh — `czynsze nginx-conf` started for real on 127.0.0.1:
# 401 without or with wrong credentials, 200 with the token, 403 for
# another resident's folder, no listings, the security headers.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/nginx-lib.sh"
trap 'nginx_stop; rm -rf "$SCRATCH"' EXIT
plan 32
URL=https://e.example.pl/
SITE=$SCRATCH/site
HT=$SCRATCH/htpasswd.d

ok "nginx is installed (scripts/deps.sh)" nginx_need
"$CZ" import "$FIX/ksm-20211228" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/l" --site-url "$URL" > /dev/null 2>&1
row() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$SCRATCH/l/credentials.csv"; }
L1=$(row O0001 6); P1=$(row O0001 7); L2=$(row O0002 6); P2=$(row O0002 7)
mkdir -p "$SITE/r" "$SITE/js"
echo '<!DOCTYPE html><title>e-czynsze</title>' > "$SITE/index.html"
"$CZ" statement --json O0001 | "$CZ" credentials seal O0001 "$SITE/r/$L1.bin" > /dev/null
"$CZ" statement --json O0002 | "$CZ" credentials seal O0002 "$SITE/r/$L2.bin" > /dev/null
"$CZ" credentials publish "$SITE" --htpasswd "$HT" > /dev/null
T1=$(python3 "$TOP/tests/czynsze-token.py" "$SITE" "$L1" "$P1")
T2=$(python3 "$TOP/tests/czynsze-token.py" "$SITE" "$L2" "$P2")

PORT=$(free_port)
"$CZ" nginx-conf --access-log "$SCRATCH/access.log" --site "$SITE" --htpasswd "$HT" --listen "127.0.0.1:$PORT" \
    --server-name localhost > "$SCRATCH/czynsze.conf"
ok "nginx starts with the generated configuration" nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf"
B=http://127.0.0.1:$PORT

# code [CURL ARGS...] URL: the HTTP status.
code() { curl -s -o "$SCRATCH/body" -D "$SCRATCH/headers" -w '%{http_code}' "$@"; }

is "$(code "$B/")" 200 "the public page: 200"
ok "... with the CSP" grep -qi "^content-security-policy: default-src 'self'; script-src 'self';.*frame-ancestors 'none'" "$SCRATCH/headers"
ok "... HSTS, no-referrer, nosniff" sh -c "grep -qi '^strict-transport-security: max-age=' '$SCRATCH/headers' &&
   grep -qi '^referrer-policy: no-referrer' '$SCRATCH/headers' && grep -qi '^x-content-type-options: nosniff' '$SCRATCH/headers'"
is "$(code "$B/r/$L1.bin")" 401 "a bundle without credentials: 401"
ok "... with a Basic challenge (for navigations; fetch() omits credentials, so no dialog)" grep -qi '^www-authenticate: Basic' "$SCRATCH/headers"
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
is "$(code "$B/r/")" 401 "no listing of /r/"
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

# Revoke: the token stops working once htpasswd is rewritten (nginx reads it per request).
"$CZ" credentials revoke O0001 > /dev/null 2>&1
"$CZ" credentials publish "$SITE" --htpasswd "$HT" > /dev/null
is "$(code -u "$L1:$T1" "$B/r/$L1.bin")" 401 "after revoke and publish the token gives 401"

# limit_req: a second server with 1 request/s and burst 1.
nginx_stop
PORT=$(free_port)
"$CZ" nginx-conf --access-log "$SCRATCH/access.log" --site "$SITE" --htpasswd "$HT" --listen "127.0.0.1:$PORT" --rate 1 --burst 1 > "$SCRATCH/czynsze.conf"
nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf"
B=http://127.0.0.1:$PORT
for i in 1 2 3 4 5 6 7 8 9 10; do code -u "$L2:wrong" "$B/r/$L2.bin"; echo; done > "$SCRATCH/codes"
ok "guessing is rate limited (429 among 10 quick tries)" grep -q 429 "$SCRATCH/codes"

# The TLS form: a self-signed certificate, and nginx -t accepts the result.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
    -subj /CN=localhost -keyout "$SCRATCH/key.pem" -out "$SCRATCH/cert.pem" > /dev/null 2>&1
"$CZ" nginx-conf --access-log "$SCRATCH/access.log" --site "$SITE" --htpasswd "$HT" --listen "127.0.0.1:$(free_port)" \
    --tls-cert "$SCRATCH/cert.pem" --tls-key "$SCRATCH/key.pem" > "$SCRATCH/tls.conf"
sed "s|include $SCRATCH/czynsze.conf;|include $SCRATCH/tls.conf;|" "$SCRATCH/nginx/nginx.conf" > "$SCRATCH/nginx/tls-nginx.conf"
ok "the TLS configuration passes nginx -t" sh -c "grep -q 'ssl_protocols TLSv1.2 TLSv1.3;' '$SCRATCH/tls.conf' &&
   nginx -p '$SCRATCH/nginx' -c '$SCRATCH/nginx/tls-nginx.conf' -t"
done_testing
