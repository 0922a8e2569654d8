#!/bin/sh
# t0270-browser-v2.sh — the residents' site of a v2 export (meter readings
# and documents) for real: fixtures/v2/ksm-20211231 imported, logins
# issued, the site generated and served by the project's nginx
# configuration on 127.0.0.1, driven in Debian's headless Chromium
# (tests/browser/readings-*.test.mjs and documents-*.test.mjs, which skip
# themselves on t0500's v1 site): the readings and their chart, opening a
# document (the saved bytes are the export's), 403 for another resident's
# document, axe-core on the new views, a 320 px phone.
#
# Tools as t0500 (scripts/deps.sh; npm ci in tests/browser).  Skipped
# under the sanitizer pass for the reason t0500 gives.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/nginx-lib.sh"

if [ "${CZYNSZE_SANITIZED:-0}" = 1 ]; then
	echo "1..0 # SKIP the browser tests run once, against the normal build (as t0500)"
	exit 0
fi

BROWSER_DIR=$TOP/tests/browser
CHROMIUM=${CZ_CHROMIUM:-/usr/bin/chromium}
NODE_PID=
stop_node() {
	[ -n "$NODE_PID" ] || return 0
	pkill -TERM -P "$NODE_PID" 2> /dev/null
	kill -TERM "$NODE_PID" 2> /dev/null
	wait "$NODE_PID" 2> /dev/null
	NODE_PID=
}
trap 'stop_node; nginx_stop; rm -rf "$SCRATCH"' EXIT
trap 'exit 130' INT TERM
bail() { echo "1..$_n"; echo "Bail out! $1"; exit 1; }
step() { ok "$@"; [ "$_failed" -eq 0 ] || bail "$1 failed"; }

tools_present() {
	PATH=$PATH:/usr/sbin
	for t in nginx node npm; do command -v $t > /dev/null 2>&1 || sh "$TOP/scripts/deps.sh" >&2 || true; done
	for t in nginx node npm; do command -v $t > /dev/null 2>&1 || return 1; done
	[ -x "$CHROMIUM" ]
}
export PATH="$PATH:/usr/sbin"
step "nginx, node, npm and $CHROMIUM are installed (scripts/deps.sh)" tools_present
npm_install() (
	cd "$BROWSER_DIR" || exit 1
	if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] &&
	    [ -f node_modules/playwright-core/package.json ] && [ -f node_modules/axe-core/axe.min.js ]; then
		exit 0
	fi
	npm ci --no-audit --no-fund --loglevel=error
)
step "npm ci (tests/browser/package-lock.json)" npm_install

V2=$FIX/v2/ksm-20211231
LETTERS=$SCRATCH/letters
site() {
	"$CZ" import "$V2" &&
	"$CZ" credentials issue --letters "$LETTERS" --site-url http://127.0.0.1/ &&
	"$CZ" generate --templates "$TOP/site-templates"
}
step "the site is generated from fixtures/v2/ksm-20211231 with fresh credentials" site

PORT=$(free_port)
"$CZ" nginx-conf --access-log off --site "$CZYNSZE_HOME/site-build" --htpasswd "$CZYNSZE_HOME/htpasswd.d" \
    --listen "127.0.0.1:$PORT" > "$SCRATCH/czynsze.conf"
step "nginx serves it on 127.0.0.1:$PORT" nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf"

SHOTS=${CZ_SCREENSHOTS:-$TOP/build/screenshots-v2}
mkdir -p "$SHOTS"
export CZ_BASE_URL="http://127.0.0.1:$PORT/" CZ_CREDENTIALS="$LETTERS/credentials.csv" \
    CZ_SCREENSHOTS="$SHOTS" CZ_CHROMIUM="$CHROMIUM" CZ_SITE="$CZYNSZE_HOME/site-build" \
    CZ_FIXTURE=v2 CZ_EXPORT="$V2" CZ_TAP_START=$_n
cd "$BROWSER_DIR" || bail "no $BROWSER_DIR"
# shellcheck disable=SC2046
node --test --test-concurrency=1 --test-reporter=./tap-reporter.mjs \
    $(ls ./readings-*.test.mjs ./documents-*.test.mjs) &
NODE_PID=$!
wait "$NODE_PID"
rc=$?
NODE_PID=
[ "$_failed" -eq 0 ] && [ $rc -eq 0 ]
