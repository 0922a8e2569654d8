#!/bin/sh
# deps.sh — install the Debian packages czynsze needs to build and test.
#
# As root it runs apt-get; otherwise it prints the command to run.  Set
# CZYNSZE_DEPS=build for the build dependencies only (no nginx, browser).
set -eu

BUILD_PKGS="build-essential pkg-config libcsv-dev libxml2-dev libsqlite3-dev \
libgit2-dev libssl-dev libdeflate-dev libqrencode-dev sqlite3"
TEST_PKGS="perl git nginx-light chromium nodejs npm python3 python3-cryptography clang libclang-rt-14-dev rsync wrk \
cppcheck clang-tidy apache2-utils curl hyperfine"

pkgs=$BUILD_PKGS
[ "${CZYNSZE_DEPS:-all}" = build ] || pkgs="$pkgs $TEST_PKGS"

missing=""
for p in $pkgs; do
	# nodejs/npm may come from elsewhere (NodeSource); a working binary is enough.
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "czynsze needs these Debian packages:$missing" >&2
	echo "run: sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || { echo "deps: apt-get update failed" >&2; exit 1; }
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
	echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
