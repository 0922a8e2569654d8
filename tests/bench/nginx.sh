#!/bin/sh
# tests/bench/nginx.sh — requests per second nginx serves authenticated
# bundles on loopback (auth_basic {SSHA} check + the per-login map +
# a static file), with the generated configuration.
#
# The per-address limit_req is raised out of the way (--rate 1000000):
# every request comes from 127.0.0.1, and the point is nginx's cost, not
# the limit.  BENCH_LOGINS sets the htpasswd size.  Bounded: wrk for BENCH_SECONDS (default 10) with 2 threads
# and 32 connections; without wrk, a bounded curl loop (a lower bound).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
SECONDS_RUN=${BENCH_SECONDS:-10}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/czynsze-bench.XXXXXX")
. "$TOP/tests/nginx-lib.sh"
trap 'nginx_stop; rm -rf "$SCRATCH"' EXIT
export CZYNSZE_HOME=$SCRATCH/home
SITE=$SCRATCH/site HT=$SCRATCH/htpasswd.d

nginx_need || { echo "bench: nginx missing" >&2; exit 1; }
"$CZ" import "$TOP/fixtures/ksm-20211228" > /dev/null 2>&1 || exit 1
"$CZ" credentials issue --letters "$SCRATCH/l" --site-url http://127.0.0.1/ > /dev/null || exit 1
L=$(awk -F';' '$1 == "O0001" { print $6 }' "$SCRATCH/l/credentials.csv")
P=$(awk -F';' '$1 == "O0001" { print $7 }' "$SCRATCH/l/credentials.csv")
mkdir -p "$SITE/r"
"$CZ" statement --json O0001 | "$CZ" credentials seal O0001 "$SITE/r/$L.bin" > /dev/null
"$CZ" credentials publish "$SITE" --htpasswd "$HT" > /dev/null
T=$(python3 "$TOP/tests/czynsze-token.py" "$SITE" "$L" "$P")
# nginx reads the user file line by line at every request: fill the
# htpasswd files to the size of a large cooperative (BENCH_LOGINS, default
# 30000) with random logins, as access_write_files writes them.
python3 - "$HT" "${BENCH_LOGINS:-30000}" <<'PY'
import base64, os, sys
d, n = sys.argv[1], int(sys.argv[2])
files = {f: open(os.path.join(d, f)).read().splitlines() for f in os.listdir(d)}
have = sum(len(v) for v in files.values())
abc = "23456789abcdefghjkmnpqrstuvwxyz"
for _ in range(max(0, n - have)):
    login = "".join(abc[b % 31] for b in os.urandom(10))
    files[login[:2]].append(login + ":{SSHA}" + base64.b64encode(os.urandom(28)).decode())
for f, lines in files.items():
    open(os.path.join(d, f), "w").write("".join(l + "\n" for l in sorted(lines)))
PY
PORT=$(free_port)
"$CZ" nginx-conf --access-log off --site "$SITE" --htpasswd "$HT" --listen "127.0.0.1:$PORT" --rate 1000000 \
    --burst 100000 > "$SCRATCH/czynsze.conf"
NGINX_WORKERS=auto nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf" || exit 1
URL=http://127.0.0.1:$PORT/r/$L.bin
AUTH="Authorization: Basic $(printf '%s:%s' "$L" "$T" | base64 -w0)"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$URL")" = 200 ] || { echo "bench: no 200" >&2; exit 1; }
bytes=$(stat -c %s "$SITE/r/$L.bin")
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), $(nproc) cores, bundle $bytes bytes, {SSHA} htpasswd: $(cat "$HT"/* | wc -l) logins in $(ls "$HT" | wc -l) files"
if command -v wrk > /dev/null 2>&1; then
	wrk -t2 -c32 -d"${SECONDS_RUN}s" -H "$AUTH" "$URL" | tee "$SCRATCH/wrk.out"
	rps=$(awk '/^Requests\/sec/ { print $2 }' "$SCRATCH/wrk.out")
	non2xx=$(awk '/Non-2xx/ { print $NF }' "$SCRATCH/wrk.out")
	echo "authenticated bundles: $rps requests/s (wrk, ${SECONDS_RUN}s, 2 threads, 32 connections; non-2xx: ${non2xx:-0})"
else
	n=0; end=$(($(date +%s) + SECONDS_RUN))
	while [ "$(date +%s)" -lt "$end" ]; do
		curl -s -o /dev/null -H "$AUTH" "$URL" "$URL" "$URL" "$URL" "$URL" "$URL" "$URL" "$URL" "$URL" "$URL"
		n=$((n + 10))
	done
	echo "authenticated bundles: $((n / SECONDS_RUN)) requests/s (curl loop, a lower bound; install wrk)"
fi
