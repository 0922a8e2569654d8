#!/bin/sh
# snapshot.sh — audit snapshot cost for a large synthetic cooperative.
#
#   sh tests/bench/snapshot.sh            (BIG, WORK, BUILD may be set)
#
# BIG (default /work/bench/big) is an export made by
#   python3 fixtures/tools/gen-export.py --cards 30000 --years 10 --seed 1 BIG
# (made here when missing; about a minute and 4.5 GB).  It is imported
# once into WORK/home (kept between runs: the import is not what is
# measured).  Then, from an empty repository:
#   night 1  `audit snapshot --no-gc`, then `audit gc`: seconds and size
#   night 2  the database edited the way a night changes it (new export
#            time, balance date on every card, 500 payments on 500 cards,
#            one booking edited and one deleted in closed periods, one
#            address), `audit snapshot --no-gc`, `audit gc`: seconds, growth
#   then     `audit diff` (seconds, must exit 10) and `audit gc --full`.
# GC=0 skips the packing steps (night 1's pack of a 30000-card
# cooperative takes tens of minutes); growth is then in loose objects.
# Speed is reported, not asserted.
#
# Measured 2026-11-26 on the shared 2-core build machine (load 5-8, so
# wall time is about 3x CPU time):
#   30000 cards x 10 years (GC=0): 59176 files; night 1 658 s wall / 174 s
#   CPU, 52950 loose objects, 409 MiB; night 2 (500 payments, 1 edit,
#   1 deletion, 1 address, every balance date) 401 s wall / 136 s CPU,
#   +715 objects, +5.2 MiB loose; diff 4 s; verify 228 s.
#   3000 cards x 10 years: night 1 82 s, 44 MiB loose, gc 268 s -> 25 MiB;
#   night 2 83 s (11 s on a quieter machine), +1000 KiB loose -> +312 KiB
#   after gc (1.4 s); gc --full 109 s -> 27 MiB.
set -eu
TOP=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CZ=$BUILD/czynsze
BIG=${BIG:-/work/bench/big}
WORK=${WORK:-/work/bench/audit-snapshot}
GC=${GC:-1}
H=$WORK/home
R=$H/snapshots.git

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# CPU seconds (user + system) of the last timed command, when /usr/bin/time exists.
cpu() { [ -s "$WORK/time" ] && awk -F, '{ printf "%.1f", $1 + $2 }' "$WORK/time" || echo "?"; }
TIME=
[ -x /usr/bin/time ] && TIME="/usr/bin/time -o $WORK/time -f %U,%S"
kib() { du -sk "$1" | cut -f1; }
loose() { git -C "$R" count-objects -v | sed -n 's/^count: //p'; }

if [ ! -f "$BIG/eksport.xml" ]; then
	echo "making $BIG (gen-export.py --cards 30000 --years 10 --seed 1)"
	python3 "$TOP/fixtures/tools/gen-export.py" --cards 30000 --years 10 --seed 1 "$BIG"
fi
mkdir -p "$WORK"
if [ ! -f "$WORK/night1.db" ]; then
	t=$(now)
	"$CZ" --home "$H" import --no-snapshot "$BIG" 2>/dev/null
	echo "import (not part of the snapshot figures): $(since "$t") s"
	cp "$H/czynsze.db" "$WORK/night1.db"
else
	cp "$WORK/night1.db" "$H/czynsze.db"
fi
rm -rf "$R"

t=$(now)
rm -f "$WORK/time"
$TIME "$CZ" --home "$H" audit snapshot --no-gc > "$WORK/night1.out"
s1=$(since "$t"); c1=$(cpu)
files=$(sed -n 's/.*, \([0-9]*\) files.*/\1/p' "$WORK/night1.out")
l1=$(loose); k1_loose=$(kib "$R")
g1=skipped; k1=$k1_loose
if [ "$GC" = 1 ]; then
	t=$(now)
	"$CZ" --home "$H" audit gc > /dev/null
	g1="$(since "$t") s"; k1=$(kib "$R")
fi

sqlite3 "$H/czynsze.db" <<'SQL'
BEGIN;
UPDATE export SET generated_at = '2021-12-29T02:00:07',
    manifest_sha256 = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
UPDATE card SET balance_date = '2021-12-29';
INSERT INTO booking (id, card_id, date, period, doc_type, doc_no, description, debit_gr, credit_gr)
    SELECT 'N2-' || id, id, '2021-12-29', '2021-12', 'WPL', NULL, 'Wpłata', 0, 10000
    FROM card WHERE rowid % 60 = 1;
UPDATE card SET balance_gr = balance_gr - 10000 WHERE rowid % 60 = 1;
UPDATE booking SET credit_gr = credit_gr + 100
    WHERE id = (SELECT min(id) FROM booking WHERE period = '2020-06' AND doc_type = 'WPL');
DELETE FROM booking
    WHERE id = (SELECT min(id) FROM booking WHERE period = '2021-10' AND doc_type = 'ODS');
UPDATE person SET street = 'ul. Mickiewicza 3 m. 7' WHERE id = (SELECT min(id) FROM person);
COMMIT;
SQL

t=$(now)
rm -f "$WORK/time"
$TIME "$CZ" --home "$H" audit snapshot --no-gc > /dev/null
s2=$(since "$t"); c2=$(cpu)
l2=$(loose); k2_loose=$(kib "$R")
g2=skipped; k2=$k2_loose
if [ "$GC" = 1 ]; then
	t=$(now)
	"$CZ" --home "$H" audit gc > /dev/null
	g2="$(since "$t") s"; k2=$(kib "$R")
fi

t=$(now)
set +e
"$CZ" --home "$H" audit diff > "$WORK/diff.txt"
st=$?
set -e
d2=$(since "$t")
gf=skipped; kf=$k2
if [ "$GC" = 1 ]; then
	t=$(now)
	"$CZ" --home "$H" audit gc --full > /dev/null
	gf="$(since "$t") s"; kf=$(kib "$R")
fi
t=$(now)
set +e
"$CZ" --home "$H" audit verify > "$WORK/verify.txt"
set -e
v2=$(since "$t")

cat <<EOF2
snapshot bench: $(grep -o 'wygenerowano="[^"]*"' "$BIG/eksport.xml" | head -1) export in $BIG, $files files per snapshot
night 1: snapshot ${s1} s wall, ${c1} s CPU (${l1} loose objects, ${k1_loose} KiB); audit gc ${g1} -> repository ${k1} KiB
night 2: snapshot ${s2} s wall, ${c2} s CPU (+$((l2 - (GC == 1 ? 0 : l1))) loose objects, +$((k2_loose - k1)) KiB); audit gc ${g2} -> repository ${k2} KiB (+$((k2 - k1)) KiB)
audit diff night 1 -> 2: ${d2} s, exit ${st} (10 = closed-period changes), $(grep -c '^  [-+~] booking\|^  !! CLOSED' "$WORK/diff.txt") booking lines
audit gc --full: ${gf} -> repository ${kf} KiB
audit verify (night 2): ${v2} s, $(sed -n 2p "$WORK/verify.txt")
EOF2
