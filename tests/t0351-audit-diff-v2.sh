#!/bin/sh
# t0351-audit-diff-v2.sh — `audit diff` of two v2 snapshots names exactly
# the readings and documents added, removed and changed (old -> new), a
# reading or document that moved to another file as one change, and flags
# changed and deleted readings dated in a closed period first (exit 10);
# `audit report --json/--html` count them and list the closed ones first.
# The nights: tests/audit-v2-night{1,2}.sql (their comments list the changes).
. "$(dirname "$0")/lib.sh"
plan 11
N1=$FIX/ksm-20211228
"$CZ" import --no-snapshot "$N1" 2>/dev/null
sqlite3 "$CZYNSZE_HOME/czynsze.db" < "$TOP/tests/audit-v2-night1.sql"
"$CZ" audit snapshot > /dev/null
sqlite3 "$CZYNSZE_HOME/czynsze.db" < "$TOP/tests/audit-v2-night2.sql"
"$CZ" audit snapshot > /dev/null

"$CZ" audit diff > "$SCRATCH/diff"
is "$?" 10 "diff exits 10: changes in closed periods"
sed -n '/^!! 3 CHANGE(S) IN CLOSED PERIODS/,/^$/p' "$SCRATCH/diff" > "$SCRATCH/closed"
is "$(grep -c 'CLOSED PERIOD !!' "$SCRATCH/closed")" 3 "the report opens with exactly three closed-period changes"
ok "... R2's state and usage, old -> new" grep -q \
   '~ reading R2 (premises B07/1/3, meter WM-1, date 2021-11-30): state: 13.000 -> 13.100; usage: 0.655 -> 0.755$' "$SCRATCH/closed"
ok "... R1 deleted, with its record" grep -q \
   -- '- reading R1 (premises B07/1/3, meter WM-1, date 2021-10-31) deleted: premises=B07/1/3, meter=WM-1, medium=ZW, date=2021-10-31, state=12.345, kind=O$' "$SCRATCH/closed"
ok "... R4 moved to another premises: one change" grep -q \
   '~ reading R4 (premises B03/2/20, meter CO-9, date 2021-11-30): premises: B03/1/12 -> B03/2/20$' "$SCRATCH/closed"
is "$(grep -E '^  (!! CLOSED PERIOD !! )?[-+~] (reading|document)' "$SCRATCH/diff" | sed 's/^  !! CLOSED PERIOD !! /  /' | sed 's/:.*//' | sort -u | tr '\n' '|')" \
   "  + document UPO-1 added|  + reading R5 (premises B07/1/3, meter WM-1, date 2021-11-15) added|  + reading R6 (premises B07/1/3, meter WM-1, date 2021-12-29) added|  - document STATUT deleted|  - reading R1 (premises B07/1/3, meter WM-1, date 2021-10-31) deleted|  - reading_warning R3 decrease deleted|  ~ document INF-1|  ~ document ZAW-1|  ~ reading R2 (premises B07/1/3, meter WM-1, date 2021-11-30)|  ~ reading R4 (premises B03/2/20, meter CO-9, date 2021-11-30)|  ~ reading R7 (premises B03/1/12, meter CO-9, date 2021-12-20)|" \
   "exactly the changed readings, warnings and documents"

"$CZ" audit diff --json > "$SCRATCH/diff.json"
cat > "$SCRATCH/check.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def check(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
check(d["closed_before"] == "2021-12" and d["closed_period_changes"] == 3, "closed count")
ch = {(c["entity"], c["change"], tuple(c["key"])): c for c in d["changes"] if c["entity"] != "person"}
check(sorted(ch) == sorted([("reading", "changed", ("R2",)), ("reading", "deleted", ("R1",)),
    ("reading", "changed", ("R4",)), ("reading", "changed", ("R7",)), ("reading", "added", ("R5",)),
    ("reading", "added", ("R6",)), ("reading_warning", "deleted", ("R3", "decrease")),
    ("document", "changed", ("ZAW-1",)), ("document", "changed", ("INF-1",)),
    ("document", "deleted", ("STATUT",)), ("document", "added", ("UPO-1",))]), "change set %r" % sorted(ch))
closed = sorted(k[2][0] for k, c in ch.items() if c["closed_period"])
check(closed == ["R1", "R2", "R4"], "closed: changed/deleted readings dated before 2021-12 %r" % closed)
e = ch[("reading", "changed", ("R7",))]
check(e["fields"] == [{"field": "state", "old": "1.800", "new": "1.850"},
    {"field": "usage", "old": "0.300", "new": "0.350"},
    {"field": "ksm_usage", "old": "0.300", "new": "0.350"}], "R7 fields %r" % e["fields"])
e = ch[("document", "changed", ("INF-1",))]
check(e["fields"] == [{"field": "bytes", "old": "30000", "new": "30001"},
    {"field": "sha256", "old": "d" * 64, "new": "e" * 64}], "INF-1 fields %r" % e["fields"])
e = ch[("document", "changed", ("ZAW-1",))]
check(e["fields"] == [{"field": "date", "old": "2021-10-15", "new": "2021-11-02"}] and
    e["old"]["date"] == "2021-10-15" and e["new"]["date"] == "2021-11-02", "ZAW-1 moved month")
e = ch[("reading", "added", ("R5",))]
check(e["closed_period"] == 0 and e["new"]["state"] == "12.500" and e["new"]["kind"] == "Z", "R5")
PY
ok "--json: every reading and document change, field by field, closed ones flagged" \
   python3 "$SCRATCH/check.py" "$SCRATCH/diff.json"

"$CZ" audit report --json > "$SCRATCH/r.json"
cat > "$SCRATCH/checkr.py" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["report"]
ent = {e["entity"]: e for e in r["entities"]}
def check(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
check(ent["reading"] == {"entity": "reading", "added": 2, "deleted": 1, "changed": 3, "closed_period": 3},
      "readings %r" % ent.get("reading"))
check(ent["document"] == {"entity": "document", "added": 1, "deleted": 1, "changed": 2, "closed_period": 0},
      "documents %r" % ent.get("document"))
check(ent["reading_warning"]["deleted"] == 1, "warnings")
check(r["counts"]["closed_period_changes"] == 3, "closed count")
PY
ok "report --json counts readings and documents per kind of change" python3 "$SCRATCH/checkr.py" "$SCRATCH/r.json"

"$CZ" audit report --html "$SCRATCH/r.html" > /dev/null
cat > "$SCRATCH/checkh.py" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
def check(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
first = t[t.index('<section class="closed"'):]
first = first[:first.index("</section>")]
rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", first)
check(sorted(set((r[1], r[2]) for r in rows)) == [("odczyt licznika", "R1"), ("odczyt licznika", "R2"),
      ("odczyt licznika", "R4")], "closed section: the three readings %r" % rows)
check(("zmieniono", "odczyt licznika", "R4", "lokal B03/2/20", "2021-11-30") in rows, "R4 row %r" % rows)
check(t.index("Zmiany w okresach zamkniętych") < t.index("Pozostałe zmiany"), "closed first")
allrows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", t)
check(("zmieniono", "dokument", "INF-1", "osoba O0002", "2021-12-01") in allrows, "INF-1: whose, date %r" % allrows)
check(("usunięto", "dokument", "STATUT", "wszyscy (publiczny)", "2020-06-20") in allrows, "STATUT: public")
check(("dodano", "odczyt licznika", "R5", "lokal B07/1/3", "2021-11-15") in allrows, "R5 row")
counts = t[t.index('id="counts-h"'):]
check(re.search(r"<th scope=\"row\">odczyt licznika</th><td class=\"num\">2</td><td class=\"num\">1</td>"
                r"<td class=\"num\">3</td><td class=\"num\">3</td>", counts), "reading counts")
check(re.search(r"<th scope=\"row\">dokument</th><td class=\"num\">1</td><td class=\"num\">1</td>"
                r"<td class=\"num\">2</td><td class=\"num\">0</td>", counts), "document counts")
PY
ok "report --html: the closed-period readings first, counts per kind" python3 "$SCRATCH/checkh.py" "$SCRATCH/r.html"

# A reading added with a closed date is not retroactive; changing it is.
sqlite3 "$CZYNSZE_HOME/czynsze.db" "UPDATE export SET generated_at = '2021-12-30T02:00:07';
    UPDATE meter_reading SET kind = 'O' WHERE id = 'R5'"
"$CZ" audit snapshot > /dev/null
"$CZ" audit diff > "$SCRATCH/diff3"
is "$?" 10 "the late reading R5 changed the next night: exit 10"
ok "... flagged as a closed-period change" grep -q \
   '^  !! CLOSED PERIOD !! ~ reading R5 (premises B07/1/3, meter WM-1, date 2021-11-15): kind: Z -> O$' "$SCRATCH/diff3"
done_testing
