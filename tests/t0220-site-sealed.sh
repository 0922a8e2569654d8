#!/bin/sh
# t0220-site-sealed.sh — the published site after `credentials issue` and
# `generate`: one sealed bundle per resident, under their login, that
# opens with their password only; salt shards and htpasswd files; and no
# file of the site holds a resident's name, address, amount or
# description in clear.
. "$(dirname "$0")/lib.sh"
plan 15
OUT=$CZYNSZE_HOME/site-build
HT=$CZYNSZE_HOME/htpasswd.d
csv() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$3"; }

"$CZ" import "$FIX/ksm-20211228" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/letters" --site-url https://e.example.pl/ > /dev/null 2>&1
C=$SCRATCH/letters/credentials.csv
ok "generate seals the statements" "$CZ" generate --templates "$TOP/site-templates"

logins=$(cut -d';' -f6 "$C" | tail -n +2 | sed 's/$/.bin/' | sort | tr '\n' ' ')
is "$(ls "$OUT/r" | sort | tr '\n' ' ')" "$logins" "one bundle per login, named by the login only"
is "$(ls "$OUT"/r/*.bin | wc -l | tr -d ' ')" 6 "one bundle per resident"
is "$(ls "$OUT/auth" | wc -l | tr -d ' ')" 256 "256 public salt shards"
ok "htpasswd files outside the site, one line per login" sh -c "
  [ \$(cat '$HT'/?? | wc -l) -eq 6 ] && ! grep -rqE '\{S?SHA\}' '$OUT'"

L1=$(csv O0001 6 "$C"); P1=$(csv O0001 7 "$C"); P2=$(csv O0002 7 "$C")
"$CZ" generate --plain --templates "$TOP/site-templates" > /dev/null 2>&1
echo "$P1" | "$CZ" credentials check --print "$L1" "$OUT/r/$L1.bin" > "$SCRATCH/opened" 2>&1
ok "the resident's password opens their bundle" grep -qF "Do zapłaty: 934,82" "$SCRATCH/opened"
ok "... which is exactly the statement of the printable page, the export's date left to the header" python3 -c "
import sys
frag = open('$SCRATCH/opened', encoding='utf-8').read()
page = open('$CZYNSZE_HOME/print/r/O0001/statement.html', encoding='utf-8').read()
span = '(stan na dzień <span class=\"export-date\"></span>)'
sys.exit(0 if len(frag) > 1000 and span in frag and
    frag.replace(span, '(stan na dzień 28.12.2021)') in page else 1)"
echo "$P1" | "$CZ" credentials check "$L1" "$OUT/r/$L1.bin" > "$SCRATCH/check" 2>&1
is "$(tail -1 "$SCRATCH/check")" \
   "sealed from the export of 2021-12-28T02:00:13 (id $(sqlite3 "$CZYNSZE_HOME/czynsze.db" "SELECT substr(manifest_sha256, 1, 16) FROM export"))" \
   "... sealed with the export's timestamp and id, which the browser shows"
ok "... and the public page gives the export's date and timestamp (the browser refuses older bundles)" \
   grep -qF '<p class="as-of" data-export-date="28.12.2021" data-export-at="2021-12-28T02:00:13">' "$OUT/index.html"
ok "... the timestamp is not in the bundle in clear" sh -c "! grep -qaF '2021-12-28' '$OUT/r/$L1.bin'"
echo "$P2" | "$CZ" credentials check "$L1" "$OUT/r/$L1.bin" > /dev/null 2>&1
is "$?" 1 "another resident's password does not"

# Every personal string of the fixtures, searched in every file of the site.
python3 - "$FIX/ksm-20211228" > "$SCRATCH/needles" <<'PY'
import csv, io, sys
d = sys.argv[1]
def rows(name):
    raw = open(f"{d}/{name}", "rb").read()
    text = raw[3:].decode("utf-8") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("cp1250")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
lc = lambda r: {k.strip().lower(): (v or "").strip() for k, v in r.items()}
out = set()
for r in map(lc, rows("osoby.csv")):
    out.update([r["nazwisko"], r["ulica"]] + ([r["imie"]] if r.get("imie") else []))
for r in map(lc, rows("lokale.csv")):
    out.add(r["ulica"])
for r in map(lc, rows("obroty.csv")):
    if len(r.get("opis", "")) >= 6:
        out.add(r["opis"].splitlines()[0][:24])
    for k in ("wn", "ma"):
        v = r.get(k, "").replace("\xa0", " ")
        if len(v) >= 6:          # "934,82"-sized amounts and up; "0,00" is everywhere
            out.add(v)
for r in map(lc, rows("kartoteki.csv")):
    out.add(r["nr_rachunku"].replace(" ", "")[-12:])
for s in sorted(x for x in out if len(x) >= 5):
    print(s)
PY
n=$(wc -l < "$SCRATCH/needles" | tr -d ' ')
ok "the scan has something to look for ($n strings)" [ "$n" -gt 40 ]
grep -rlaF -f "$SCRATCH/needles" "$OUT" > "$SCRATCH/hits"
ok "no file of the site holds any of them in clear" sh -c "[ ! -s '$SCRATCH/hits' ] || { cat '$SCRATCH/hits'; grep -raoF -f '$SCRATCH/needles' '$OUT' | head; exit 1; }"
ok "... while the printable pages (never published) do" grep -rqF "Kowalska" "$CZYNSZE_HOME/print"
# Owner-only: the data home, the database, keys.db, the letters and the
# CSV; the htpasswd files are readable by the web server's group (0640,
# docs/security.md) and hold only token verifiers.
is "$(stat -c %a "$CZYNSZE_HOME") $(stat -c %a "$CZYNSZE_HOME/czynsze.db") $(stat -c %a "$CZYNSZE_HOME/keys.db") $(stat -c %a "$C") $(stat -c %a "$SCRATCH/letters/O0001.html") $(stat -c %a "$HT/_")" \
   "700 600 600 600 600 640" "file modes: home, database, keys, CSV and letters owner-only; htpasswd 0640"
done_testing
