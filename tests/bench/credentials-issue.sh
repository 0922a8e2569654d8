#!/bin/sh
# tests/bench/credentials-issue.sh — `czynsze credentials issue` in logins
# per second (all online CPUs, and --jobs 1), against the named peer in
# the same run: one core of PBKDF2-HMAC-SHA256 at 600,000 iterations by
# Python's hashlib (OpenSSL underneath), the derivation every login costs.
# Medians of BENCH_RUNS (3) runs; BENCH_ISSUE_CARDS (60) cards.  Goal
# (issue 13): at least 1.8 times the peer on 2 cores.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
. "$TOP/tests/bench/lib/median.sh"
cd "$TOP"
make -s all
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CZYNSZE_HOME="$tmp/home"
python3 fixtures/tools/gen-export.py --cards "${BENCH_ISSUE_CARDS:-60}" --years 1 --seed 11 "$tmp/x" > /dev/null 2>&1
"$BUILD/czynsze" import "$tmp/x" > /dev/null 2>&1
runs=${BENCH_RUNS:-3}

# issue_rate [ARGS]: logins/s of one full issue (fresh keys, no letters)
issue_rate() {
	rm -rf "$tmp/home/keys.db" "$tmp/home/letters" "$tmp/home/access" "$tmp/home/access.d"
	t0=$(date +%s%N)
	"$BUILD/czynsze" credentials issue --site-url https://e.example.pl/ "$@" > "$tmp/out"
	t1=$(date +%s%N)
	n=$(sqlite3 "$tmp/home/keys.db" "SELECT count(*) FROM login")
	awk -v n="$n" -v ns=$((t1 - t0)) 'BEGIN { printf "%.2f\n", n / (ns / 1e9) }'
}
peer_rate() {
	python3 -c '
import hashlib, os, time
k = 8
t = time.perf_counter()
for i in range(k):
    hashlib.pbkdf2_hmac("sha256", b"K7QM4XZP9HCEWTRFN2AB", os.urandom(16), 600000, 32)
print("%.2f" % (k / (time.perf_counter() - t)))'
}
i=0; : > "$tmp/all"; : > "$tmp/one"; : > "$tmp/peer"
while [ $i -lt "$runs" ]; do
	issue_rate >> "$tmp/all"
	issue_rate --jobs 1 >> "$tmp/one"
	peer_rate >> "$tmp/peer"
	i=$((i + 1))
done
all=$(median < "$tmp/all"); one=$(median < "$tmp/one"); peer=$(median < "$tmp/peer")
cpus=$(getconf _NPROCESSORS_ONLN)
echo "credentials issue ($(sqlite3 "$tmp/home/keys.db" "SELECT count(*) FROM login") logins, median of $runs):"
echo "  czynsze, $cpus threads:   $all logins/s"
echo "  czynsze, --jobs 1:       $one logins/s"
echo "  peer, one core of PBKDF2-SHA256-600k (python3 hashlib): $peer /s"
awk -v a="$all" -v p="$peer" -v c="$cpus" 'BEGIN { printf "  ratio: %.2fx the one-core peer on %d cores (goal >= 1.8x on 2)\n", a / p, c }'
