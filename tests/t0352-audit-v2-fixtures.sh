#!/bin/sh
# t0352-audit-v2-fixtures.sh — the audit trail of the two v2 fixture nights
# (fixtures/v2, imported by the real importer): the snapshot names every
# document with the size and SHA-256 of its PDF as exported, and no PDF
# bytes; `audit diff` names exactly the readings and documents that changed
# (fixtures/tools/make-v2.py lists them); a variant of the second night with
# a closed-period reading edited (a copy, manifest.py re-run) is flagged,
# also in `audit report --html`, which Chromium checks with axe-core
# (tests/browser/audit-report-v2.test.mjs; skipped under ASan).
. "$(dirname "$0")/lib.sh"
BROWSER=1
[ "${CZYNSZE_SANITIZED:-0}" = 1 ] && BROWSER=0
[ $BROWSER = 1 ] && echo "# the browser part runs too"
V1=$FIX/v2/ksm-20211230
V2=$FIX/v2/ksm-20211231
R=$CZYNSZE_HOME/snapshots.git
"$CZ" import "$V1" 2>/dev/null
"$CZ" import "$V2" 2>/dev/null

git -C "$R" ls-tree -r --name-only ksm-20211230 | grep '^documents/' > "$SCRATCH/docfiles"
for f in $(cat "$SCRATCH/docfiles"); do git -C "$R" show "ksm-20211230:$f"; done |
    grep -v '^#' | awk -F '\t' '{ print $10 "  " $8 "  " $9 }' | sort > "$SCRATCH/snap-docs"
(cd "$V1" && for p in $(find dokumenty -type f | sort); do
	printf '%s  %s  %s\n' "$(sha256sum "$p" | cut -d' ' -f1)" "$p" "$(wc -c < "$p")"
done) | sort > "$SCRATCH/fix-docs"
is "$(wc -l < "$SCRATCH/snap-docs")" 5 "night 1: five documents in the snapshot"
ok "... each with the SHA-256 and size of its PDF in the export" cmp "$SCRATCH/snap-docs" "$SCRATCH/fix-docs"
ok "... and no PDF inside the snapshot (no marker, no %PDF- in any blob)" sh -c \
   "git -C '$R' grep -q -e CZYNSZE-PRYWATNE- -e '%PDF-' ksm-20211230 ksm-20211231; [ \$? = 1 ]"

"$CZ" audit diff --json > "$SCRATCH/d.json"
is "$?" 0 "diff of the two v2 nights exits 0: nothing in a closed period"
cat > "$SCRATCH/check.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def check(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
ch = {(c["entity"], c["change"], tuple(c["key"])): c for c in d["changes"]}
check(sorted(ch) == sorted([("reading", "changed", ("R-0003",)), ("reading", "added", ("R-0024",)),
    ("document", "deleted", ("UPO-2021-000950",)), ("document", "added", ("ZAW-2021-000320",))]),
    "change set %r" % sorted(ch))
e = ch[("reading", "changed", ("R-0003",))]
check(e["fields"] == [{"field": "state", "old": "108.250", "new": "108.300"},
    {"field": "kind", "old": "S", "new": "O"}, {"field": "usage", "old": "3.750", "new": "3.800"},
    {"field": "ksm_usage", "old": "3.750", "new": "3.800"}] and e["closed_period"] == 0,
    "R-0003: the estimate replaced by a reading %r" % e["fields"])
e = ch[("reading", "added", ("R-0024",))]
check(e["new"]["premises"] == "B07/1/3" and e["new"]["meter"] == "ZW-1100" and
    e["new"]["date"] == "2021-12-30" and e["new"]["state"] == "302.500", "R-0024 %r" % e["new"])
e = ch[("document", "deleted", ("UPO-2021-000950",))]
check(e["old"]["owner"] == "K000950" and e["old"]["bytes"] == "629", "UPO %r" % e["old"])
e = ch[("document", "added", ("ZAW-2021-000320",))]
check(e["new"]["owner_kind"] == "card" and e["new"]["owner"] == "K000320" and e["new"]["date"] == "2021-12-29",
    "ZAW %r" % e["new"])
check(d["closed_period_changes"] == 0 and d["balances"] == [], "no closed changes, no balances")
PY
ok "exactly: R-0003 read instead of estimated, R-0024 new, UPO-2021-000950 gone, ZAW-2021-000320 new" \
   python3 "$SCRATCH/check.py" "$SCRATCH/d.json"

# A variant of night 2 a day later in which KSM rewrote the zuzycie of
# R-0012 (30.09.2021: a closed period) from 2,2 to 2,125.
V3=$SCRATCH/ksm-20220101
cp -R "$V2" "$V3"
sed -i 's/^CW-0412378;R-0012;O;30.09.2021;52,125;2,2;/CW-0412378;R-0012;O;30.09.2021;52,125;2,125;/' "$V3/odczyty.csv"
sed -i 's/wygenerowano="2021-12-31T/wygenerowano="2022-01-01T/' "$V3/eksport.xml"
python3 "$FIX/tools/manifest.py" "$V3"
ok "the variant imports" "$CZ" import "$V3"
"$CZ" audit diff > "$SCRATCH/diff3"
is "$?" 10 "its diff exits 10: a change in a closed period"
sed -n '/^!! 1 CHANGE(S) IN CLOSED PERIODS/,/^$/p' "$SCRATCH/diff3" > "$SCRATCH/closed"
ok "... listed first: R-0012's KSM consumption, old -> new" grep -qx \
   '  !! CLOSED PERIOD !! ~ reading R-0012 (premises B07/2/45, meter CW-0412378, date 2021-09-30): ksm_usage: 2.200 -> 2.125' "$SCRATCH/closed"
is "$(grep -cE '^  (!! CLOSED PERIOD !! )?[-+~] ' "$SCRATCH/diff3")" 3 \
   "... and besides it (twice: closed section and list) only the warning it no longer raises"
ok "... which is the usage warning of R-0012, deleted" grep -qx \
   -- '  - reading_warning R-0012 usage deleted: expected=2.125, found=2.200' "$SCRATCH/diff3"
R=$SCRATCH/report.html
"$CZ" audit report --html "$R" > /dev/null
ok "audit report --html of the variant night" grep -q 'R-0012' "$R"
if [ $BROWSER = 0 ]; then
	plan $_n
	done_testing
	exit $?
fi
BROWSER_DIR=$TOP/tests/browser
if [ ! -f "$BROWSER_DIR/node_modules/axe-core/axe.min.js" ] || [ ! -f "$BROWSER_DIR/node_modules/playwright-core/package.json" ]; then
	(cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
cd "$BROWSER_DIR" || exit 1
CZ_TAP_START=$_n CZ_AUDIT_REPORT_V2=$R CZ_BASE_URL="file://$SCRATCH/" CZ_SCREENSHOTS="$SCRATCH" \
    node --test --test-concurrency=1 --test-reporter=./tap-reporter.mjs ./audit-report-v2.test.mjs
rc=$?
[ "$_failed" -eq 0 ] && [ $rc -eq 0 ]
