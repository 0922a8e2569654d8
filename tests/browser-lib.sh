# tests/browser-lib.sh — what the scripts that drive Chromium share
# (t0500-browser.sh, t0233-credentials-browser.sh).  Source it after
# tests/lib.sh.
#
#   step DESC CMD...    a setup test (ok); a failure ends the script with
#                       its plan and "Bail out!"
#   browser_tools       nginx, node, npm and $CHROMIUM are there (after
#                       scripts/deps.sh if one was missing: a missing one
#                       then is a failure, never a skip)
#   browser_npm         npm ci in tests/browser (playwright-core and
#                       axe-core as pinned in package-lock.json; quick when
#                       node_modules already matches the lock file)
#   browser_run FILE... runs the test files (one after another, one
#                       Chromium each) with node's test runner and
#                       tap-reporter.mjs, which numbers them from
#                       CZ_TAP_START=$_n on and prints the plan; returns
#                       nonzero when one failed
#   browser_stop        stops a run still going (the runner and its
#                       per-file children, which close their Chromium on
#                       SIGTERM); call it in the EXIT trap
BROWSER_DIR=$TOP/tests/browser
CHROMIUM=${CZ_CHROMIUM:-/usr/bin/chromium}
NODE_PID=

bail() { echo "1..$_n"; echo "Bail out! $1"; exit 1; }
step() { ok "$@"; [ "$_failed" -eq 0 ] || bail "$1 failed"; }

_browser_missing() {
	_missing=""
	for _t in nginx node npm; do command -v $_t > /dev/null 2>&1 || _missing="$_missing $_t"; done
	[ -x "$CHROMIUM" ] || _missing="$_missing $CHROMIUM"
	[ -n "$_missing" ]
}

browser_tools() {
	PATH=$PATH:/usr/sbin
	_browser_missing || return 0
	sh "$TOP/scripts/deps.sh" >&2 || true
	_browser_missing || return 0
	echo "missing after scripts/deps.sh:$_missing" >&2
	return 1
}

browser_npm() (
	cd "$BROWSER_DIR" || exit 1
	if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] &&
	    [ -f node_modules/playwright-core/package.json ] && [ -f node_modules/axe-core/axe.min.js ]; then
		exit 0
	fi
	npm ci --no-audit --no-fund --loglevel=error
)

browser_run() {
	(cd "$BROWSER_DIR" && CZ_TAP_START=$_n CZ_CHROMIUM=$CHROMIUM exec node --test \
	    --test-concurrency=1 --test-reporter=./tap-reporter.mjs "$@") &
	NODE_PID=$!
	wait "$NODE_PID"
	_rc=$?
	NODE_PID=
	return $_rc
}

browser_stop() {
	[ -n "$NODE_PID" ] || return 0
	pkill -TERM -P "$NODE_PID" 2> /dev/null
	kill -TERM "$NODE_PID" 2> /dev/null
	wait "$NODE_PID" 2> /dev/null
	NODE_PID=
}
