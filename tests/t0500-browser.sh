#!/bin/sh
# t0500-browser.sh — the residents' site for real: generated from the
# fixtures, served by the project's nginx configuration on 127.0.0.1, and
# driven in Debian's headless Chromium through playwright-core
# (tests/browser/*.test.mjs, node's test runner): logging in, the
# statement, logout, "stay logged in", hostile data, requests, CSP, small
# screens and large text, and axe-core's WCAG 2.1 A/AA rules on every view.
#
# Needs nginx, chromium, node and npm (scripts/deps.sh installs them; a
# missing one after that is a failure, never a skip) and the npm registry
# for `npm ci` (tests/browser/package-lock.json pins playwright-core and
# axe-core; node_modules is not committed).
#
# CZ_BROWSER_TESTS='./statement-*.test.mjs' runs only those files.
#
# Screenshots of the main views go to $CZ_SCREENSHOTS (default
# build/screenshots/, not committed); the path is printed.
#
# Under the sanitizer pass (CZYNSZE_SANITIZED=1) the script skips: what it
# tests is the site (HTML, CSS, JS) and nginx, which do not change with
# the C build, while the C steps it runs (import, credentials, generate)
# run under ASan in t0010, t0200 and t0220; a second browser run would
# double the suite's time for no new coverage.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/nginx-lib.sh"

if [ "${CZYNSZE_SANITIZED:-0}" = 1 ]; then
	echo "1..0 # SKIP the browser tests run once, against the normal build (site, nginx and browser do not change under ASan)"
	exit 0
fi

. "$TOP/tests/browser-lib.sh"
SHOTS=${CZ_SCREENSHOTS:-$TOP/build/screenshots}
trap 'browser_stop; nginx_stop; rm -rf "$SCRATCH"' EXIT
trap 'exit 130' INT TERM

# Setup steps are tests 1..K; a failed one ends the script with a plan.
export PATH="$PATH:/usr/sbin"
step "nginx, node, npm and $CHROMIUM are installed (scripts/deps.sh)" browser_tools
step "npm ci: playwright-core and axe-core as pinned in tests/browser/package-lock.json" browser_npm

URL=http://127.0.0.1/
LETTERS=$SCRATCH/letters
OLDER=$SCRATCH/older
# due_day 28: the export is of 28.12.2021, so December's charge is due that
# very day and not yet late; the site then shows all four kinds of summary
# (statement-summary.test.mjs): late (O0001), overpaid (O0003), settled
# (O0006), and only the current month owed, not late (O0002's cable TV).
# The night before first: the fixture's export dated a day earlier (its
# balances too, as KSM dates them with the export's day), its
# bundles kept in $OLDER/r (the same logins and data keys) for the
# freshness tests to replay; then the fixture itself, as the live site.
site() {
	echo "due_day = 28" >> "$CZYNSZE_HOME/czynsze.conf" &&
	cp -R "$FIX/ksm-20211228" "$OLDER" &&
	python3 -c "
import sys; d = sys.argv[1]
k = open(d + '/kartoteki.csv', 'rb').read()
assert k.count(b';28.12.2021') == 9
open(d + '/kartoteki.csv', 'wb').write(k.replace(b';28.12.2021', b';27.12.2021'))
x = open(d + '/eksport.xml', 'rb').read()
assert x.count(b'2021-12-28T02:00:13') == 1
open(d + '/eksport.xml', 'wb').write(x.replace(b'2021-12-28T02:00:13', b'2021-12-27T02:00:13'))" "$OLDER" &&
	python3 "$FIX/tools/manifest.py" "$OLDER" > /dev/null &&
	"$CZ" import "$OLDER" &&
	"$CZ" credentials issue --letters "$LETTERS" --site-url "$URL" &&
	"$CZ" generate --templates "$TOP/site-templates" &&
	cp -R "$CZYNSZE_HOME/site-build/r" "$OLDER/r" &&
	"$CZ" import "$FIX/ksm-20211228" &&
	"$CZ" generate --templates "$TOP/site-templates"
}
step "the site is generated from fixtures/ksm-20211228 (after the night before) with fresh credentials" site

PORT=$(free_port)
"$CZ" nginx-conf --access-log off --site "$CZYNSZE_HOME/site-build" --htpasswd "$CZYNSZE_HOME/htpasswd.d" \
    --listen "127.0.0.1:$PORT" > "$SCRATCH/czynsze.conf"
step "nginx serves it on 127.0.0.1:$PORT with the generated configuration" \
    nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf"

rm -rf "$SHOTS"
mkdir -p "$SHOTS"
echo "# screenshots: $SHOTS"
export CZ_BASE_URL="http://127.0.0.1:$PORT/" CZ_CREDENTIALS="$LETTERS/credentials.csv" \
    CZ_SCREENSHOTS="$SHOTS" CZ_SITE="$CZYNSZE_HOME/site-build" \
    CZ_OLDER_BUNDLES="$OLDER/r"
# The reporter continues the numbering and prints the plan.  The test
# files run one after another (one Chromium each, many contexts);
# CZ_BROWSER_TESTS (a shell pattern, default ./*.test.mjs but for
# credentials-*, which t0233 runs on a home of its own) picks some.
cd "$BROWSER_DIR" || bail "no $BROWSER_DIR"
# shellcheck disable=SC2046
browser_run $(ls ${CZ_BROWSER_TESTS:-./*.test.mjs} | grep -v '^\./credentials-')
rc=$?
echo "# screenshots: $SHOTS"
[ "$_failed" -eq 0 ] && [ $rc -eq 0 ]
