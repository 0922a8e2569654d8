#!/bin/sh
# tests/bench/seal.sh — bundles sealed per second (tests/bench/seal.c),
# for the large cooperative's count (BENCH_RESIDENTS, default 30000), with
# a realistic statement: a resident's statement JSON from the fixtures,
# repeated to ~BENCH_FRAGMENT_BYTES (default 20000).
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
cd "$TOP"
make -s all
mkdir -p "$BUILD/bench"
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -Ilib -Igenerator \
    -o "$BUILD/bench/seal" tests/bench/seal.c "$BUILD/libczynsze.a" \
    $(pkg-config --libs libxml-2.0 sqlite3 libgit2 libcrypto libdeflate libqrencode) -lcsv -lpthread
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CZYNSZE_HOME=$tmp/home "$BUILD/czynsze" import fixtures/ksm-20211228 > /dev/null 2>&1
while [ "$(stat -c %s "$tmp/frag" 2>/dev/null || echo 0)" -lt "${BENCH_FRAGMENT_BYTES:-20000}" ]; do
	CZYNSZE_HOME=$tmp/home "$BUILD/czynsze" statement --json O0001 >> "$tmp/frag"
done
"$BUILD/bench/seal" "${BENCH_RESIDENTS:-30000}" "$tmp/frag"
