# tests/lib.sh — sourced by every tests/tNNNN-*.sh script.
#
# Each script prints TAP (prove runs them).  It gets:
#   $CZ        the czynsze binary under test (BUILD/czynsze)
#   $TOP       the source tree, $FIX its fixtures/
#   $SCRATCH   a fresh scratch directory, removed at exit
# and the helpers below.  Steps chain with && inside a test_expect block.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
FIX=$TOP/fixtures
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/czynsze-test.XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
export CZYNSZE_HOME="$SCRATCH/home"

# coop_conf DIR: makes DIR a data home with the fixtures' configuration
# (fixtures/czynsze.conf: the cooperative's details generate needs).
# Done for $CZYNSZE_HOME below; call it for any other home that generates.
coop_conf() {
	mkdir -p -m 700 "$1" && cp "$FIX/czynsze.conf" "$1/czynsze.conf"
}
coop_conf "$CZYNSZE_HOME"
_n=0
_failed=0

plan() { echo "1..$1"; }

# ok DESCRIPTION COMMAND...: passes when COMMAND succeeds.
ok() {
	_desc=$1; shift
	_n=$((_n + 1))
	if "$@" >"$SCRATCH/.out" 2>&1; then
		echo "ok $_n - $_desc"
	else
		echo "not ok $_n - $_desc"
		sed 's/^/#   /' "$SCRATCH/.out" | head -40
		_failed=$((_failed + 1))
	fi
}

# test_expect DESCRIPTION 'shell code': passes when the code exits 0.
test_expect() {
	ok "$1" sh -c "set -e; $2"
}

# is GOT WANT DESCRIPTION
is() {
	_n=$((_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $_n - $3"
	else
		echo "not ok $_n - $3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
		_failed=$((_failed + 1))
	fi
}

# live_state: everything a failed nightly run must not touch, as one
# listing of hashes: the symlink's target, every file of the live tree,
# the database, the snapshot repository (when the audit step is built in).
live_state() {
	readlink "$CZYNSZE_HOME/site"
	(cd "$CZYNSZE_HOME/site/" && find . -type f -exec sha256sum {} + | sort)
	sha256sum < "$CZYNSZE_HOME/czynsze.db"
	if [ -d "$CZYNSZE_HOME/snapshots.git" ]; then
		(cd "$CZYNSZE_HOME/snapshots.git" && find . -type f ! -name index -exec sha256sum {} + | sort)
	fi
}

done_testing() {
	[ "$_failed" -eq 0 ]
}
