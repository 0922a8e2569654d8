#!/bin/sh
# t0340-audit-report.sh — `audit report` of the fixtures' two nights: the
# HTML opens with the closed-period changes (old -> new), holds both
# manifests, the balance mismatches and the monthly totals (charts and
# tables agree with the bookings), and links nothing outside itself; the
# JSON says the same.  Then Chromium runs tests/browser/audit-report.test.mjs
# on it (axe-core WCAG 2.1 AA, zero violations; skipped under ASan, where
# the browser part would only repeat itself).
. "$(dirname "$0")/lib.sh"
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
R=$SCRATCH/report.html
"$CZ" import "$N1" 2>/dev/null
"$CZ" import "$N2" 2>/dev/null
BROWSER=1
[ "${CZYNSZE_SANITIZED:-0}" = 1 ] && BROWSER=0
[ $BROWSER = 1 ] && echo "# the browser part runs too"

"$CZ" audit report > /dev/null 2>&1
is "$?" 2 "report without --html or --json is a usage error"
"$CZ" audit report ksm-20211228 ksm-20211229 --html "$R" --json > "$SCRATCH/r.json"
is "$?" 0 "audit report --html FILE --json writes the file and prints JSON"
is "$(stat -c %a "$R")" 600 "... the HTML file is owner-only (names, addresses)"
cat > "$SCRATCH/check.py" <<'PY'
import html, json, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
def check(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
text = lambda frag: html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", frag)))
check(s.startswith("<!DOCTYPE html>") and '<html lang="pl">' in s, "doctype and lang")
check(not re.search(r'(src|href)=|@import|url\(', s), "no external resource")
check("<script" not in s, "no script")
main = s[s.index("<main>"):]
first = main[:main.index("</section>")]
check("2 zmian(y) w okresach zamkniętych" in first, "closed-period heading first")
rows = [text(r) for r in re.findall(r"<tr>(.*?)</tr>", first[first.index("<tbody>"):], re.S)]
check(len(rows) == 2, "two closed rows %r" % rows)
check(re.search(r"zmieniono operacja 10005 K000403 2021-10 credit 300\.00 290\.63", rows[0]), rows[0])
check(re.search(r"usunięto operacja 10029 K000451 2021-11 cały rekord .*debit=4\.27", rows[1]), rows[1])
t = text(main)
for m in ("c5d73514d926baf98dea24c46edf5de408fb822af3a9148346f58ee995633ca5",
          "82ca2d85f48125d2c8a6f8112a7e4bcb985893fed828bfbccebc323355332c76"):
    check(m in t, "manifest " + m)
check(re.search(r"zmieniono osoba O0006 street ul\. Źródłowa 4 m\. 20 ul\. Mickiewicza 3 m\. 7", t), "address change")
check("K000950 saldo wobec sumy operacji 90,00 zł 45,00 zł 45,00 zł" in t, "balance mismatch")
check("K000480 naliczenie (NAL) 2021-11 wobec sumy składników" in t, "charge mismatch")
check("2021-12 3 597,84 zł 3 298,11 zł 627,36 zł" in t, "December totals")
check(s.count('role="img"') == 3 and s.count("<desc") == 3, "three described charts")
check(t.index("Zmiany w okresach zamkniętych") < t.index("Pozostałe zmiany"), "closed before the rest")
PY
ok "HTML: closed-period changes first, manifests, mismatches, monthly totals, nothing external" \
   python3 "$SCRATCH/check.py" "$R"
cat > "$SCRATCH/checkj.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def check(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
r = d["report"]
check(r["from"]["tag"] == "ksm-20211228" and r["to"]["tag"] == "ksm-20211229", "tags")
check(r["to"]["manifest_sha256"].startswith("82ca2d85") and r["from"]["system"] == "KSM", "manifest")
check(r["counts"] == {"changes": 5, "closed_period_changes": 2, "balance_changes": 3,
    "balance_date_changes": 9, "verify_findings": 2}, "counts %r" % r["counts"])
m = {x["period"]: x for x in r["months"]}
check(m["2021-12"] == {"period": "2021-12", "charges_gr": 359784, "payments_gr": 329811,
    "balance_gr": 62736}, "december %r" % m["2021-12"])
check([s["tag"] for s in r["snapshots"]] == ["ksm-20211229", "ksm-20211228"], "snapshots")
check(d["diff"]["closed_period_changes"] == 2 and len(d["verify"]["findings"]) == 2, "diff/verify")
PY
ok "JSON: exports, counts, months, snapshots, diff and verify" python3 "$SCRATCH/checkj.py" "$SCRATCH/r.json"
# The months sum what the card files say: recompute from git itself.
is "$(git --git-dir="$CZYNSZE_HOME/snapshots.git" grep -h '^booking' ksm-20211229 -- cards |
      awk -F'\t' '$4 == "2021-12" { d += $7 * 100; c += $8 * 100 } END { printf "%d %d", d, c }')" \
   "359784 329811" "... December's totals agree with the bookings in git"

if [ $BROWSER = 0 ]; then
	plan 6
	done_testing
	exit $?
fi
BROWSER_DIR=$TOP/tests/browser
if [ ! -f "$BROWSER_DIR/node_modules/axe-core/axe.min.js" ] || [ ! -f "$BROWSER_DIR/node_modules/playwright-core/package.json" ]; then
	(cd "$BROWSER_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
cd "$BROWSER_DIR" || exit 1
CZ_TAP_START=$_n CZ_AUDIT_REPORT=$R CZ_BASE_URL="file://$SCRATCH/" CZ_SCREENSHOTS="$SCRATCH" \
    node --test --test-concurrency=1 --test-reporter=./tap-reporter.mjs ./audit-report.test.mjs
rc=$?
[ "$_failed" -eq 0 ] && [ $rc -eq 0 ]
