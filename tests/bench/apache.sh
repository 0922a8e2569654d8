#!/bin/sh
# tests/bench/apache.sh — authenticated bundle requests per second, Apache
# httpd 2.4 (czynsze apache-conf) against nginx (czynsze nginx-conf) in the
# same run, on the same site, the same {SHA} verifiers and as many logins
# (BENCH_LOGINS, default 30000: Apache's one user file, nginx's per-prefix
# files).  Each server: BENCH_RUNS (default 3) wrk runs of BENCH_SECONDS
# (default 5) with 2 threads and 32 connections, alternating; the medians
# and their ratio are printed.  nginx's limit_req is raised out of the
# way (--rate 1000000), as in nginx.sh: the point is the servers' cost.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
SECS=${BENCH_SECONDS:-5}
RUNS=${BENCH_RUNS:-3}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/czynsze-bench.XXXXXX")
. "$TOP/tests/nginx-lib.sh"
. "$TOP/tests/apache-lib.sh"
. "$TOP/tests/bench/lib/median.sh"
trap 'nginx_stop; apache_stop; rm -rf "$SCRATCH"' EXIT
export CZYNSZE_HOME=$SCRATCH/home
SITE=$SCRATCH/site HT=$SCRATCH/htpasswd.d

nginx_need && apache_need || { echo "bench: nginx or apache2 missing" >&2; exit 1; }
command -v wrk > /dev/null 2>&1 || { echo "bench: wrk missing (scripts/deps.sh)" >&2; exit 1; }
"$CZ" import "$TOP/fixtures/ksm-20211228" > /dev/null 2>&1 || exit 1
"$CZ" credentials issue --letters "$SCRATCH/l" --site-url http://127.0.0.1/ > /dev/null || exit 1
L=$(awk -F';' '$1 == "O0001" { print $6 }' "$SCRATCH/l/credentials.csv")
P=$(awk -F';' '$1 == "O0001" { print $7 }' "$SCRATCH/l/credentials.csv")
mkdir -p "$SITE/r"
echo '<!DOCTYPE html><title>e-czynsze</title>' > "$SITE/index.html"
"$CZ" statement --json O0001 | "$CZ" credentials seal O0001 "$SITE/r/$L.bin" > /dev/null
"$CZ" credentials publish "$SITE" --htpasswd "$HT" > /dev/null
T=$(python3 "$TOP/tests/czynsze-token.py" "$SITE" "$L" "$P")
# fill both layouts to BENCH_LOGINS random logins with {SHA} verifiers
python3 - "$HT" "${BENCH_LOGINS:-30000}" <<'PY'
import base64, os, sys
d, n = sys.argv[1], int(sys.argv[2])
names = [f for f in os.listdir(d) if len(f) == 2 or f == "_"]
files = {f: open(os.path.join(d, f)).read().splitlines() for f in names}
have = sum(len(v) for v in files.values())
abc = "23456789abcdefghjkmnpqrstuvwxyz"
for _ in range(max(0, n - have)):
    login = "".join(abc[b % 31] for b in os.urandom(10))
    files[login[:2]].append(login + ":{SHA}" + base64.b64encode(os.urandom(20)).decode())
every = []
for f, lines in files.items():
    open(os.path.join(d, f), "w").write("".join(l + "\n" for l in sorted(lines)))
    every += lines
open(os.path.join(d, "all"), "w").write("".join(l + "\n" for l in sorted(every)))
PY
chmod 711 "$SCRATCH" && chmod -R o+rX "$SITE" "$HT"   # Apache's workers are nobody

NPORT=$(free_port) APORT=$(free_port)
"$CZ" nginx-conf --access-log off --site "$SITE" --htpasswd "$HT" --listen "127.0.0.1:$NPORT" \
    --rate 1000000 --burst 100000 > "$SCRATCH/nginx-site.conf"
"$CZ" apache-conf --access-log off --site "$SITE" --htpasswd "$HT" --listen "127.0.0.1:$APORT" \
    > "$SCRATCH/apache-site.conf"
NGINX_WORKERS=auto nginx_start "$SCRATCH/nginx" "$SCRATCH/nginx-site.conf" || exit 1
APACHE_THREADS=64 apache_start "$SCRATCH/apache" "$SCRATCH/apache-site.conf" "$APORT" || exit 1
AUTH="Authorization: Basic $(printf '%s:%s' "$L" "$T" | base64 -w0)"
for u in "http://127.0.0.1:$NPORT/r/$L.bin" "http://127.0.0.1:$APORT/r/$L.bin"; do
	[ "$(curl -s -o /dev/null -w '%{http_code}' -H "$AUTH" "$u")" = 200 ] || { echo "bench: no 200 from $u" >&2; exit 1; }
done
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///') and Apache $("$APACHE" -v | sed -n 's/.*Apache\/\([^ ]*\).*/\1/p'), $(nproc) cores," \
    "bundle $(stat -c %s "$SITE/r/$L.bin") bytes, $(wc -l < "$HT/all") logins ({SHA})"
# rps URL: one wrk run's requests/s (0 when a response was not 2xx)
rps() {
	wrk -t2 -c32 -d"${SECS}s" -H "$AUTH" "$1" > "$SCRATCH/wrk.out" 2>&1
	if grep -q 'Non-2xx' "$SCRATCH/wrk.out"; then echo 0; else awk '/^Requests\/sec/ { print $2 }' "$SCRATCH/wrk.out"; fi
}
: > "$SCRATCH/nginx.rps"; : > "$SCRATCH/apache.rps"
i=0
while [ $i -lt "$RUNS" ]; do
	rps "http://127.0.0.1:$NPORT/r/$L.bin" >> "$SCRATCH/nginx.rps"
	rps "http://127.0.0.1:$APORT/r/$L.bin" >> "$SCRATCH/apache.rps"
	i=$((i + 1))
done
n=$(median < "$SCRATCH/nginx.rps") a=$(median < "$SCRATCH/apache.rps")
echo "authenticated bundles, median of $RUNS x ${SECS}s (wrk, 2 threads, 32 connections):"
echo "  nginx:  $n requests/s ($(tr '\n' ' ' < "$SCRATCH/nginx.rps"))"
echo "  Apache: $a requests/s ($(tr '\n' ' ' < "$SCRATCH/apache.rps"))"
awk -v a="$a" -v n="$n" 'BEGIN { if (n > 0) printf "  Apache / nginx: %.2f\n", a / n }'
