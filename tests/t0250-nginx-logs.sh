#!/bin/sh
# t0250-nginx-logs.sh — what the generated nginx configuration logs, on a
# real nginx: by default no login (no $remote_user, and a bundle's path,
# which names the login, logged as /r/*.bin), with --log-login both; the
# 429s of the rate limit write nothing into an error log at nginx's
# default level (limit_req_log_level warn); the logrotate example names
# the default access log and a retention.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/nginx-lib.sh"
trap 'nginx_stop; rm -rf "$SCRATCH"' EXIT
plan 12
SITE=$SCRATCH/site
HT=$SCRATCH/htpasswd.d
LOG=$SCRATCH/access.log

ok "nginx is installed (scripts/deps.sh)" nginx_need
"$CZ" import "$FIX/ksm-20211228" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/l" --site-url https://e.example.pl/ > /dev/null 2>&1
L1=$(awk -F';' '$1 == "O0001" { print $6 }' "$SCRATCH/l/credentials.csv")
P1=$(awk -F';' '$1 == "O0001" { print $7 }' "$SCRATCH/l/credentials.csv")
mkdir -p "$SITE/r"
echo '<!DOCTYPE html><title>e-czynsze</title>' > "$SITE/index.html"
"$CZ" statement --json O0001 | "$CZ" credentials seal O0001 "$SITE/r/$L1.bin" > /dev/null
"$CZ" credentials publish "$SITE" --htpasswd "$HT" > /dev/null
T1=$(python3 "$TOP/tests/czynsze-token.py" "$SITE" "$L1" "$P1")

# serve CONF_ARGS...: nginx on a fresh port with the configuration, and
# one resident's own bundle, a wrong password and the public page fetched.
serve() {
	nginx_stop
	rm -f "$LOG"
	PORT=$(free_port)
	"$CZ" nginx-conf --site "$SITE" --htpasswd "$HT" --listen "127.0.0.1:$PORT" \
	    --access-log "$LOG" "$@" > "$SCRATCH/czynsze.conf" &&
	nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf" || return 1
	B=http://127.0.0.1:$PORT
	curl -s -o /dev/null -u "$L1:$T1" "$B/r/$L1.bin"
	curl -s -o /dev/null -u "$L1:wrong" "$B/r/$L1.bin"
	curl -s -o /dev/null "$B/"
	# nginx writes the access log line after the response: wait for 3 (bounded)
	i=0; while [ "$(wc -l < "$LOG" 2> /dev/null || echo 0)" -lt 3 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}

ok "nginx starts with the default (private) log format" serve
ok "... every request logged" sh -c "[ \$(wc -l < '$LOG') -eq 3 ] && grep -q ' 200 ' '$LOG' && grep -q ' 401 ' '$LOG'"
ok "... the login appears nowhere in the log" sh -c "! grep -q '$L1' '$LOG'"
ok "... a bundle is logged as /r/*.bin" grep -q '"GET /r/\*.bin" 200 ' "$LOG"
ok "... and the public page by its path" grep -Eq '"GET /(index.html)?" 200 ' "$LOG"

ok "nginx starts with --log-login" serve --log-login
ok "... which logs the login and the bundle's path" grep -q "127.0.0.1 $L1 .*\"GET /r/$L1.bin\" 200 " "$LOG"

# the rate limit: 1/s, burst 1; 10 quick wrong tries
serve --rate 1 --burst 1
for i in 1 2 3 4 5 6 7 8 9 10; do
	curl -s -o /dev/null -w '%{http_code}\n' -u "$L1:wrong" "$B/r/$L1.bin"
done > "$SCRATCH/codes"
ok "guesses over the rate get 429" grep -q 429 "$SCRATCH/codes"
ok "... and write no line into the error log (level error)" sh -c "! grep -q 'limiting requests' '$SCRATCH/nginx/logs/error.log'"

# Logins issued before {SHA} keep their {SSHA} verifier: nginx still takes it.
python3 - "$CZYNSZE_HOME/keys.db" "$L1" "$T1" <<'PY'
import base64, hashlib, os, sqlite3, sys
db, login, token = sys.argv[1:4]
salt = os.urandom(8)
v = "{SSHA}" + base64.b64encode(hashlib.sha1(token.encode() + salt).digest() + salt).decode()
c = sqlite3.connect(db); c.execute("UPDATE login SET token_hash = ? WHERE login = ?", (v, login)); c.commit()
PY
"$CZ" credentials publish "$SITE" --htpasswd "$HT" > /dev/null
serve
ok "an {SSHA} verifier from before (kept until a reset) still opens the bundle in nginx" sh -c "
   grep -q '^$L1:{SSHA}' '$HT/all' && [ \$(curl -s -o /dev/null -w '%{http_code}' -u '$L1:$T1' '$B/r/$L1.bin') = 200 ]"

ok "examples/logrotate rotates the default access log, with a retention" sh -c "
   grep -q '^/var/log/czynsze/access.log' '$TOP/examples/logrotate' &&
   grep -q 'rotate 14' '$TOP/examples/logrotate' && grep -q 'maxage 14' '$TOP/examples/logrotate' &&
   \"$CZ\" nginx-conf --site /s --htpasswd /h | grep -q 'access_log \"/var/log/czynsze/access.log\" czynsze_privacy;'"
done_testing
