#!/bin/sh
# t0310-audit-diff.sh — `audit diff` states exactly the second night's
# changes (closed-period ones flagged, exit 10); --json field by field;
# `audit verify` finds the fixture's two disagreements (exit 11); log.
. "$(dirname "$0")/lib.sh"
plan 17
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229

"$CZ" audit diff > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 2 "diff without snapshots is a usage error"
"$CZ" import "$N1" 2>/dev/null
"$CZ" audit diff > "$SCRATCH/out" 2> "$SCRATCH/err"
is "$?" 2 "diff with one snapshot is a usage error"
ok "... saying there is nothing to compare" grep -q "first snapshot" "$SCRATCH/err"
"$CZ" import "$N2" 2>/dev/null

"$CZ" audit log > "$SCRATCH/log"
is "$(cut -c1-41 "$SCRATCH/log" | tr -s ' ' | tr '\n' '|')" \
   "ksm-20211229 2021-12-29T02:00:07 |ksm-20211228 2021-12-28T02:00:13 |" "audit log: newest first, tag and export time"

"$CZ" audit diff > "$SCRATCH/diff"
is "$?" 10 "diff of the two nights exits 10 (changes in closed periods)"
sed -n '/^!! 2 CHANGE(S) IN CLOSED PERIODS/,/^$/p' "$SCRATCH/diff" > "$SCRATCH/closed"
is "$(grep -c 'CLOSED PERIOD !!' "$SCRATCH/closed")" 2 "the report opens with exactly the two closed-period changes"
ok "... the edited booking, old -> new" grep -q '~ booking 10005 (card K000403, period 2021-10): credit: 300.00 -> 290.63$' "$SCRATCH/closed"
ok "... the deleted booking" grep -q -- '- booking 10029 (card K000451, period 2021-11) deleted: .*debit=4.27' "$SCRATCH/closed"
is "$(grep -E '^  (!! CLOSED PERIOD !! )?[-+~] ' "$SCRATCH/diff" | sed 's/^  !! CLOSED PERIOD !! /  /' | sed 's/:.*//' | sort -u | tr '\n' '|')" \
   "  + booking 10043 (card K000451, period 2021-12) added|  + booking 10044 (card K000480, period 2021-12) added|  - booking 10029 (card K000451, period 2021-11) deleted|  ~ booking 10005 (card K000403, period 2021-10)|  ~ person O0006|" \
   "exactly five changes: two payments, one edit, one deletion, one address"
ok "balances: the three changed saldos" sh -c "grep -q 'card K000451: 934.82 -> 461.20 (-473.62)' '$SCRATCH/diff' &&
   grep -q 'card K000403: -40.11 -> -30.74 (+9.37)' '$SCRATCH/diff' &&
   grep -q 'card K000480: 1486.59 -> 0.00 (-1486.59)' '$SCRATCH/diff'"

"$CZ" audit diff --json ksm-20211228 ksm-20211229 > "$SCRATCH/diff.json"
is "$?" 10 "--json exits 10 as well"
cat > "$SCRATCH/check.py" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def check(cond, what):
    if not cond:
        print("FAIL:", what); sys.exit(1)
check(d["from"]["tag"] == "ksm-20211228" and d["to"]["tag"] == "ksm-20211229", "tags")
check(d["from"]["generated_at"] == "2021-12-28T02:00:13", "from time")
check(d["closed_before"] == "2021-12" and d["closed_period_changes"] == 2, "closed")
ch = {(c["entity"], c["change"], tuple(c["key"])): c for c in d["changes"]}
check(sorted(ch) == sorted([("person", "changed", ("O0006",)),
    ("booking", "changed", ("10005",)), ("booking", "deleted", ("10029",)),
    ("booking", "added", ("10043",)), ("booking", "added", ("10044",))]), "change set %r" % sorted(ch))
e = ch[("booking", "changed", ("10005",))]
check(e["card"] == "K000403" and e["closed_period"] == 1, "10005 card/closed")
check(e["fields"] == [{"field": "credit", "old": "300.00", "new": "290.63"}], "10005 fields")
check(e["old"]["period"] == "2021-10" and e["new"]["credit"] == "290.63", "10005 records")
e = ch[("booking", "deleted", ("10029",))]
check(e["card"] == "K000451" and e["closed_period"] == 1 and e["new"] is None, "10029")
check(e["old"] == {"id": "10029", "date": "2021-11-30", "period": "2021-11", "doc_type": "ODS",
    "doc_no": "ODS/11/2021/7", "debit": "4.27", "credit": "0.00",
    "description": "Odsetki za zwłokę"}, "10029 record %r" % e["old"])
for k, card, amount in (("10043", "K000451", "469.35"), ("10044", "K000480", "1486.59")):
    e = ch[("booking", "added", (k,))]
    check(e["card"] == card and e["closed_period"] == 0 and e["old"] is None, k)
    check(e["new"]["doc_type"] == "WPL" and e["new"]["date"] == "2021-12-29" and
        e["new"]["period"] == "2021-12" and e["new"]["credit"] == amount, k + " record")
e = ch[("person", "changed", ("O0006",))]
check(e["closed_period"] == 0 and e["card"] is None, "O0006")
check(e["fields"] == [{"field": "street", "old": "ul. Źródłowa 4 m. 20", "new": "ul. Mickiewicza 3 m. 7"}], "O0006 fields")
check(d["balances"] == [
    {"card": "K000403", "old_gr": -4011, "new_gr": -3074, "delta_gr": 937},
    {"card": "K000451", "old_gr": 93482, "new_gr": 46120, "delta_gr": -47362},
    {"card": "K000480", "old_gr": 148659, "new_gr": 0, "delta_gr": -148659}], "balances")
check(d["balance_date_changes"] == 9, "balance dates")
PY
ok "--json: every field as expected" python3 "$SCRATCH/check.py" "$SCRATCH/diff.json"

"$CZ" audit diff --json --closed-before 2021-11 > "$SCRATCH/diff2.json"
is "$?" 10 "--closed-before 2021-11: still retroactive (10005 is in 2021-10)"
is "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(d['closed_period_changes'], [c['key'][0] for c in d['changes'] if c['closed_period']])" "$SCRATCH/diff2.json")" \
   "1 ['10005']" "... and only 10005 is flagged"
"$CZ" audit diff --closed-before 2021-10 > /dev/null
is "$?" 0 "--closed-before 2021-10: nothing retroactive, exit 0"

"$CZ" audit verify > "$SCRATCH/verify"
is "$?" 11 "verify exits 11: KSM's figures disagree"
is "$(grep '^  card' "$SCRATCH/verify")" \
"  card K000480, 2021-11: charge: NAL 1496.59, components sum to 1486.59 (difference 10.00)
  card K000950: balance: KSM 90.00, bookings sum to 45.00 (difference 45.00)" \
   "verify lists exactly the charge and the balance mismatch"
done_testing
