#!/bin/sh
# deps.sh — install the Debian packages czynsze needs to build and test.
#
# As root it runs apt-get; otherwise it prints the command to run.  Set
# CZYNSZE_DEPS=build for the build dependencies only (no nginx, browser),
# CZYNSZE_DEPS=demo for what `make demo` needs (the build and nginx).
set -eu

BUILD_PKGS="build-essential pkg-config libcsv-dev libxml2-dev libsqlite3-dev \
libgit2-dev libssl-dev libdeflate-dev libqrencode-dev sqlite3"
TEST_PKGS="perl git nginx-light chromium nodejs npm python3 python3-cryptography clang libclang-rt-14-dev rsync wrk \
cppcheck clang-tidy apache2-utils curl hyperfine apache2"

case ${CZYNSZE_DEPS:-all} in
build) pkgs=$BUILD_PKGS ;;
demo) pkgs="$BUILD_PKGS nginx-light" ;;
*) pkgs="$BUILD_PKGS $TEST_PKGS" ;;
esac

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
# Installing apache2 (or nginx) would start the system service on port 80:
# the tests run their own private servers on free ports and must find
# nothing of ours there.  A policy-rc.d that denies every start (exit 101,
# invoke-rc.d's "action forbidden") for the duration of the install, unless
# one was there already; systemd units are not enabled either.
policy=/usr/sbin/policy-rc.d
own_policy=
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# czynsze scripts/deps.sh: no service starts during its install\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	own_policy=1
fi
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null; rc=$?
[ -z "$own_policy" ] || rm -f "$policy"
[ $rc -eq 0 ] || { echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
