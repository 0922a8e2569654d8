#!/bin/sh
# t0040-statement-v2-rows.sh — statement_load and `statement --json` on
# meter readings and documents (schema/005) inserted by hand into an
# imported v1 database: who sees which meters and documents, their order,
# usage and warning flags, and nothing for a v1 export as imported.
. "$(dirname "$0")/lib.sh"
plan 12
DB=$CZYNSZE_HOME/czynsze.db

ok "a v1 export imports" "$CZ" import "$FIX/ksm-20211229"
is "$(sqlite3 "$DB" "SELECT format FROM export; SELECT count(*) FROM meter_reading;
    SELECT count(*) FROM document" | tr '\n' ' ')" "1 0 0 " \
   "... as format 1, with no readings or documents"

# O0001 holds K000451 and K000452, both on B07/2/45; O0003 holds K000403
# on B07/1/3, and K000999 (added here) makes O0006 a second holder of it.
sqlite3 "$DB" "
INSERT INTO card VALUES ('K000999', 'O0006', 'B07/1/3', 'C', '59124013720000000000000999', 0, '2021-12-28');
INSERT INTO card_digest (card_id, digest) VALUES ('K000999', zeroblob(32));
INSERT INTO meter_reading VALUES
 ('R3', 'B07/2/45', 'WM-1', 'ZW', '2021-12-01', 10500, 'O', 500, 500),
 ('R1', 'B07/2/45', 'WM-1', 'ZW', '2021-06-01',  9000, 'O', NULL, NULL),
 ('R2', 'B07/2/45', 'WM-1', 'ZW', '2021-09-01', 10000, 'S', 1000, 1200),
 ('R4', 'B07/2/45', 'CW-7', 'CW', '2021-06-01',  1234, 'M', NULL, NULL),
 ('R5', 'B07/1/3',  'WM-2', 'ZW', '2021-06-01',  5000, 'O', NULL, NULL);
INSERT INTO reading_warning VALUES ('R2', 'usage', 1000, 1200);
INSERT INTO document VALUES
 ('D-CARD',  'ZAW', '2021-10-15', 'Zawiadomienie', 'card', 'K000451', 'dokumenty/a.pdf', 300, printf('%.64d', 1), 1),
 ('D-PREM',  'ROZ', '2021-10-15', 'Rozliczenie wody', 'premises', 'B07/1/3', 'dokumenty/b.pdf', 301, printf('%.64d', 2), 2),
 ('D-PERS',  'INF', '2021-11-02', 'Pismo', 'person', 'O0001', 'dokumenty/c.pdf', 302, printf('%.64d', 3), 3),
 ('D-PUBL',  'OGL', '2020-06-20', 'Statut', 'public', NULL, 'dokumenty/d.pdf', 303, printf('%.64d', 4), 4),
 ('A-CARD2', 'UPO', '2021-10-15', 'Wezwanie', 'card', 'K000452', 'dokumenty/e.pdf', 304, printf('%.64d', 5), 5);
" || echo "insert failed"

"$CZ" statement --json O0001 > "$SCRATCH/o1.json"
is "$(python3 - "$SCRATCH/o1.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
for m in s["readings"]:
    print(m["premises_id"], m["medium"], m["meter"], ";".join(
        "%s %s %s %s %s %s" % (r["id"], r["date"], r["state"], r["kind"], r["usage"], r["warning"])
        for r in m["readings"]))
PY
)" "B07/2/45 CW CW-7 R4 2021-06-01 1.234 M None False
B07/2/45 ZW WM-1 R1 2021-06-01 9.000 O None False;R2 2021-09-01 10.000 S 1.000 True;R3 2021-12-01 10.500 O 0.500 False" \
   "O0001: each meter of its premises once (two cards on it), medium order, readings oldest first, usage and warning"

docs() {
	python3 -c 'import json, sys
print(" ".join(d["id"] for d in json.load(open(sys.argv[1], encoding="utf-8"))["documents"]))' "$1"
}
is "$(docs "$SCRATCH/o1.json")" "D-PERS A-CARD2 D-CARD" \
   "O0001: its card and person documents, newest first then id; not the public one"
is "$(python3 -c 'import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))["documents"][2]
print(d["kind"], d["date"], d["title"], d["owner_kind"], d["owner_id"], d["path"], d["bytes"], d["sha256"][-3:])' "$SCRATCH/o1.json")" \
   "ZAW 2021-10-15 Zawiadomienie card K000451 dokumenty/a.pdf 300 001" "a document's fields"

"$CZ" statement --json O0003 > "$SCRATCH/o3.json"
"$CZ" statement --json O0006 > "$SCRATCH/o6.json"
is "$(docs "$SCRATCH/o3.json")/$(docs "$SCRATCH/o6.json")" "D-PREM/D-PREM" \
   "a premises document reaches both of its holders"
is "$(python3 -c 'import json, sys
print([m["meter"] for m in json.load(open(sys.argv[1], encoding="utf-8"))["readings"]])' "$SCRATCH/o6.json")" \
   "['WM-2']" "... and so do its meters"

"$CZ" statement --json O0002 > "$SCRATCH/o2.json"
is "$(python3 -c 'import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))
print(s["readings"], s["documents"])' "$SCRATCH/o2.json")" "[] []" \
   "a person with neither gets empty arrays"
is "$(sqlite3 "$DB" "SELECT group_concat(person_id || ':' || document_id, ' ') FROM
    (SELECT * FROM person_document ORDER BY 1, 2)")" \
   "O0001:A-CARD2 O0001:D-CARD O0001:D-PERS O0003:D-PREM O0006:D-PREM" \
   "person_document: one row per person and document, none for the public one"

# A database from before schema 005 (as an upgrade finds it): statement
# says to import again, and importing the same export rebuilds it.
sqlite3 "$DB" "DROP VIEW person_document; DROP TABLE reading_warning; DROP TABLE meter_reading;
    DROP TABLE document; ALTER TABLE export DROP COLUMN format; PRAGMA user_version = 4"
"$CZ" statement --json O0001 > /dev/null 2> "$SCRATCH/err"
ok "statement on a database without schema 005 names the fix" \
   grep -q "older czynsze (no meter_reading): run czynsze import" "$SCRATCH/err"
ok "importing the same export again rebuilds it" "$CZ" import "$FIX/ksm-20211229"
is "$(sqlite3 "$DB" "SELECT format FROM export; PRAGMA user_version")" "1
$(ls "$TOP"/schema/*.sql | wc -l)" "... with schema 005 and on (format 1, user_version of the newest)"
done_testing
