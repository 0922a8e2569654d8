#!/bin/sh
# t0233-credentials-browser.sh — issue 12's acceptance through the site's
# own login form in Chromium (tests/browser/credentials-lifecycle.test.mjs):
# nightly x3 with the logins issued after the first, the live generation
# served by nginx from the DEFAULT `czynsze nginx-conf`; revoke A and
# reset B take effect without another nightly, rollback keeps them, and a
# reset of C killed with SIGKILL leaves exactly one of its passwords
# working.  t0230/t0231 check the same at the HTTP level, at every kill
# point; this is what a resident sees.
#
# Needs what t0500-browser.sh needs (tests/browser-lib.sh).  Under the
# sanitizer pass it skips, as t0500 does: the C steps it runs are the
# ones t0230 and t0231 run under ASan.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/nginx-lib.sh"

if [ "${CZYNSZE_SANITIZED:-0}" = 1 ]; then
	echo "1..0 # SKIP the browser tests run once, against the normal build (t0230 and t0231 run these commands under ASan)"
	exit 0
fi

. "$TOP/tests/browser-lib.sh"
trap 'browser_stop; nginx_stop; rm -rf "$SCRATCH"' EXIT
trap 'exit 130' INT TERM
export PATH="$PATH:/usr/sbin"
H=$CZYNSZE_HOME
URL=https://e.example.pl/
NIGHTLY="$CZ nightly --settle-ms 0 --templates $TOP/site-templates"

step "nginx, node, npm and $CHROMIUM are installed (scripts/deps.sh)" browser_tools
step "npm ci: playwright-core and axe-core as pinned in tests/browser/package-lock.json" browser_npm

# the third night: the second one's export, a day later
N3=$SCRATCH/ksm-20211230
cp -r "$FIX/ksm-20211229" "$N3"
sed -i 's/wygenerowano="2021-12-29T02:00:07"/wygenerowano="2021-12-30T02:00:07"/' "$N3/eksport.xml"
three_nights() {
	$NIGHTLY "$FIX/ksm-20211228" > /dev/null &&
	"$CZ" credentials issue --letters "$SCRATCH/l1" --site-url "$URL" > /dev/null &&
	$NIGHTLY "$FIX/ksm-20211229" > /dev/null &&
	$NIGHTLY "$N3" > /dev/null &&
	[ "$(ls "$H/sites" | tr '\n' ' ')" = "20211228T020013 20211229T020007 20211230T020007 " ] &&
	[ "$(readlink "$H/site")" = sites/20211230T020007 ]
}
step "nightly x3, the logins issued after the first; the third generation is live" three_nights

PORT=$(free_port)
"$CZ" nginx-conf --listen "127.0.0.1:$PORT" --server-name localhost --access-log off > "$SCRATCH/czynsze.conf"
step "nginx serves the live site with the default configuration" \
    nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf"

mkdir -p "$SCRATCH/letters"
export CZ_BASE_URL="http://127.0.0.1:$PORT/" CZ_CREDENTIALS="$SCRATCH/l1/credentials.csv" \
    CZ_SCREENSHOTS="$SCRATCH/shots" CZ_CZ="$CZ" CZ_LETTERS="$SCRATCH/letters"
browser_run ./credentials-lifecycle.test.mjs
rc=$?
[ "$_failed" -eq 0 ] && [ $rc -eq 0 ]
