#!/bin/sh
# t0120-generate-parallel.sh — the fast paths of generate give the bytes
# of the slow one: worker threads (--jobs) and the digests that skip
# residents whose data did not change (OUT/r/.digests) produce exactly
# what one thread rendering everybody (--jobs 1 --full) produces, after
# a change too; a damaged bundle is noticed and written again.  Every
# bundle seals the export it was made for (bundle.h): a new export
# re-seals every resident's statement but renders only those whose data
# changed, and the re-sealed bundles are the bytes a full run seals.
. "$(dirname "$0")/lib.sh"
plan 25
G() { "$CZ" generate --templates "$TOP/site-templates" "$@"; }
C=$SCRATCH/letters/credentials.csv
login_of() { awk -F';' -v id="$1" '$1 == id { print $6 }' "$C"; }

"$CZ" import "$FIX/ksm-20211228" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/letters" --site-url https://e.example.pl/ > /dev/null 2>&1
L1=$(login_of O0001)
ok "one thread, everybody rendered" sh -c "'$CZ' generate --templates '$TOP/site-templates' --jobs 1 --full -v --out '$SCRATCH/one' > '$SCRATCH/one.log'"
ok "four threads" sh -c "'$CZ' generate --templates '$TOP/site-templates' --jobs 4 -v --out '$SCRATCH/four' > '$SCRATCH/four.log'"
ok "... the same files, byte for byte" diff -r "$SCRATCH/one" "$SCRATCH/four"
is "$(grep '^wrote' "$SCRATCH/four.log")" "$(grep '^wrote' "$SCRATCH/one.log")" \
   "... named in the same order"
ok "the digests are there, with no login in them" sh -c "
  [ \$(wc -l < '$SCRATCH/four/r/.digests') -eq 7 ] && ! grep -qF '$L1' '$SCRATCH/four/r/.digests'"
is "$(head -1 "$SCRATCH/four/r/.digests")" \
   "export 2021-12-28T02:00:13 $(sqlite3 "$CZYNSZE_HOME/czynsze.db" "SELECT substr(manifest_sha256, 1, 16) FROM export")" \
   "... headed by the export the bundles were sealed for"

G --jobs 3 -v --out "$SCRATCH/four" > "$SCRATCH/again.log"
ok "a second run renders nobody and writes nothing" sh -c "
  grep -qF ' 0 files written, ' '$SCRATCH/again.log' &&
  grep -qF '; 6 residents unchanged since the last run' '$SCRATCH/again.log'"

# one resident's data changes: only their bundle (and the digests) are written
sqlite3 "$CZYNSZE_HOME/czynsze.db" "UPDATE card SET balance_gr = balance_gr + 1 WHERE person_id = 'O0001'"
G --jobs 2 -v --out "$SCRATCH/four" > "$SCRATCH/changed.log"
is "$(grep '^wrote\|^rendered\|^re-sealed' "$SCRATCH/changed.log" | tr '\n' ' ')" \
   "wrote r/$L1.bin rendered r/$L1.bin wrote r/.digests " "after a change only that resident is rendered and written"
ok "... 5 residents skipped" grep -qF "; 5 residents unchanged" "$SCRATCH/changed.log"
G --jobs 1 --full --out "$SCRATCH/fresh" > /dev/null
ok "... and the folder equals a full run's" diff -r "$SCRATCH/fresh" "$SCRATCH/four"

# a bundle damaged behind generate's back (same size) is rewritten
L2=$(login_of O0002)
python3 -c "
import sys; p = sys.argv[1]; b = bytearray(open(p, 'rb').read()); b[-1] ^= 1; open(p, 'wb').write(b)" \
    "$SCRATCH/four/r/$L2.bin"
G -v --out "$SCRATCH/four" > "$SCRATCH/damaged.log"
is "$(grep '^wrote' "$SCRATCH/damaged.log" | tr '\n' ' ')" "wrote r/$L2.bin " \
   "a damaged bundle is written again"
ok "... and the folder equals a full run's again" diff -r "$SCRATCH/fresh" "$SCRATCH/four"

# what an older layout left (a folder per login) and the bundle of a
# login that no longer exists are removed; the live bundles stay
mkdir -p "$SCRATCH/four/r/$L1" && cp "$SCRATCH/four/r/$L1.bin" "$SCRATCH/four/r/$L1/statement.bin"
cp "$SCRATCH/four/r/$L1.bin" "$SCRATCH/four/r/zz0gone0.bin"
G -v --out "$SCRATCH/four" > "$SCRATCH/stale.log"
is "$(grep '^removed' "$SCRATCH/stale.log" | sort | tr '\n' ' ')" "removed r/$L1 removed r/zz0gone0.bin " \
   "an old per-login folder and a gone login's bundle are removed"
ok "... and the folder equals a full run's again" diff -r "$SCRATCH/fresh" "$SCRATCH/four"

# a booking's description edited in the export (the card's own row, its
# balance, stays as it was): through the importer only that card's
# card_digest changes, and only its holder (O0003) is rendered again,
# with O0001, whose balance the import puts back (changed above); the
# export is another (its manifest), so the four others are re-sealed
cp -R "$FIX/ksm-20211228" "$SCRATCH/edit"
python3 -c "
import sys; p = sys.argv[1]; b = open(p, 'rb').read()
old = b'10005;K000403;05.10.2021;10.2021;WPL;WB/2021/10/105;Wp\xb3ata;'
assert b.count(old) == 1
open(p, 'wb').write(b.replace(old, old[:-1] + b' gotowka;'))" "$SCRATCH/edit/obroty.csv"
python3 "$FIX/tools/manifest.py" "$SCRATCH/edit" > /dev/null
"$CZ" import --force "$SCRATCH/edit" > /dev/null 2>&1
G -v --out "$SCRATCH/four" > "$SCRATCH/edit.log"
is "$(grep '^rendered r/[a-z0-9]*\.bin$' "$SCRATCH/edit.log" | sort | tr '\n' ' ')" \
   "$(printf 'rendered r/%s.bin\n' "$(login_of O0001)" "$(login_of O0003)" | sort | tr '\n' ' ')" \
   "an edited booking: only its card holder is rendered again (and O0001)"
ok "... the four others told unchanged without reading their ledgers, and re-sealed" \
   grep -qF '; 4 residents unchanged since the last run (4 of them re-sealed for this export)' "$SCRATCH/edit.log"
is "$(grep -c '^wrote r/[a-z0-9]*\.bin$' "$SCRATCH/edit.log")" 6 "... so all six bundles are written"
G --jobs 1 --full --out "$SCRATCH/fresh2" > /dev/null
ok "... and the folder equals a full run's" diff -r "$SCRATCH/fresh2" "$SCRATCH/four"

# the next night with nothing new but the night itself: KSM dates every
# card's balance with the export's day; the statements take that date
# from the header sealed with them, so nobody is rendered again, and
# every bundle is re-sealed for the new export
cp -R "$SCRATCH/edit" "$SCRATCH/next"
python3 -c "
import sys; d = sys.argv[1]
k = open(d + '/kartoteki.csv', 'rb').read()
assert k.count(b';28.12.2021') == 9
open(d + '/kartoteki.csv', 'wb').write(k.replace(b';28.12.2021', b';29.12.2021'))
x = open(d + '/eksport.xml', 'rb').read()
assert x.count(b'2021-12-28T02:00:13') == 1
open(d + '/eksport.xml', 'wb').write(x.replace(b'2021-12-28T02:00:13', b'2021-12-29T02:00:13'))" "$SCRATCH/next"
python3 "$FIX/tools/manifest.py" "$SCRATCH/next" > /dev/null
"$CZ" import "$SCRATCH/next" > /dev/null 2>&1
G -v --out "$SCRATCH/four" > "$SCRATCH/next.log"
ok "a night that only moves the balances' date renders nobody" sh -c "
  grep -qF 'wrote index.html' '$SCRATCH/next.log' && ! grep -q '^rendered' '$SCRATCH/next.log'"
ok "... and re-seals all six for the new export" \
   grep -qF '; 6 residents unchanged since the last run (6 of them re-sealed for this export)' "$SCRATCH/next.log"
is "$(grep -c '^wrote r/[a-z0-9]*\.bin$' "$SCRATCH/next.log")" 6 "... every bundle written"
ok "... and the page gives the new date and timestamp" \
   grep -qF 'data-export-date="29.12.2021" data-export-at="2021-12-29T02:00:13"' "$SCRATCH/four/index.html"
echo "$(awk -F';' '$1 == "O0001" { print $7 }' "$C")" |
    "$CZ" credentials check "$L1" "$SCRATCH/four/r/$L1.bin" > "$SCRATCH/check.out" 2>&1
ok "... O0001's bundle opens and names the new export" grep -qF 'sealed from the export of 2021-12-29T02:00:13' "$SCRATCH/check.out"
G --jobs 1 --full --out "$SCRATCH/fresh3" > /dev/null
ok "... and the re-sealed folder equals a full run's" diff -r "$SCRATCH/fresh3" "$SCRATCH/four"

# --plain with threads: the same pages as one thread
G --plain --jobs 1 --out "$SCRATCH/p1" > /dev/null && G --plain --jobs 3 --out "$SCRATCH/p3" > /dev/null
ok "printable pages: four threads or one, the same files" diff -r "$SCRATCH/p1" "$SCRATCH/p3"
done_testing
