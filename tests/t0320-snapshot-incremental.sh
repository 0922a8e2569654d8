#!/bin/sh
# t0320-snapshot-incremental.sh — a night writes only the files that
# changed (a card's cards/ and charges/ files apart, people.txt and
# premises.txt by the importer's table_digest), as one pack, and gives
# byte for byte the tree and commit that `audit snapshot --full` (every
# file from the database) gives: on the fixtures, after hand edits of
# card lines and of a charge, with a damaged card cache, on
# a generated 3,000-card export with 1 % of the cards changed (also with
# its cards written on 1 and on 3 threads), on the v2
# fixture nights (readings and documents), and after 30 nights
# (at most 3 packs, git fsck clean, no loose objects).
. "$(dirname "$0")/lib.sh"
plan 36
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
HA=$SCRATCH/a; HB=$SCRATCH/b
RA=$HA/snapshots.git; RB=$HB/snapshots.git
packs() { ls "$1"/objects/pack/*.pack 2>/dev/null | wc -l; }
loose() { git -C "$1" count-objects -v | sed -n 's/^count: //p'; }
# snap HOME [--full]: prints "N M O T": N cards unchanged, M more cards
# whose charges/ file is unchanged, O new objects, T of people.txt and
# premises.txt unchanged (taken by their importer digest, table_digest)
snap() { "$CZ" --home "$1" audit snapshot ${2:-} | sed -n 's/.*(\([0-9]*\) cards unchanged, \([0-9]*\) more with charges unchanged), \([0-9]*\) new objects.*, \([0-9]*\) table files unchanged.*/\1 \2 \3 \4/p'; }

"$CZ" --home "$HA" import --no-snapshot "$N1" 2>/dev/null
"$CZ" --home "$HB" import --no-snapshot "$N1" 2>/dev/null
is "$(snap "$HA" | cut -d' ' -f1)" 0 "night 1: no card cache yet, every card written"
snap "$HB" --full > /dev/null
"$CZ" --home "$HA" import --no-snapshot "$N2" 2>/dev/null
"$CZ" --home "$HB" import --no-snapshot "$N2" 2>/dev/null
# Night 2 pays on 3 cards: their cards/ files are written again, their
# charges/ files (cached apart) taken from the cache.  New objects: the 3
# card files, export.txt, people.txt (an address changed) and
# balance-dates.txt; the trees root, cards/ and the 3 cards/XX/; the
# commit.  premises.txt is taken from the cache.
is "$(snap "$HA")" "6 3 12 1" "night 2: 6 cards, the charges/ files of the 3 paid and premises.txt taken from the cache; 12 new objects"
snap "$HB" --full > /dev/null
is "$(git -C "$RA" rev-parse ksm-20211228 ksm-20211229 | tr '\n' ' ')" \
   "$(git -C "$RB" rev-parse ksm-20211228 ksm-20211229 | tr '\n' ' ')" \
   "incremental and --full snapshots have the same commit ids"
is "$(git -C "$RA" rev-parse 'ksm-20211229^{tree}')" "$(git -C "$RB" rev-parse 'ksm-20211229^{tree}')" \
   "... and the same tree"
is "$(loose "$RA"),$(packs "$RA")" "0,2" "no loose objects: one pack per night"
ok "git fsck --strict is clean" git -C "$RA" fsck --strict

# A card line changed by hand (no booking, so card_digest is the same):
# the cache compares the card line too, so the card is written again.
for h in "$HA" "$HB"; do
	sqlite3 "$h/czynsze.db" "UPDATE card SET balance_gr = balance_gr + 1, kind = 'I' WHERE id = 'K000950';
	    UPDATE export SET generated_at = '2021-12-30T02:00:00'"
done
is "$(snap "$HA" | cut -d' ' -f1)" 8 "a card line edited by hand: that card alone is written again"
snap "$HB" --full > /dev/null
is "$(git -C "$RA" rev-parse ksm-20211230)" "$(git -C "$RB" rev-parse ksm-20211230)" \
   "... giving the --full commit"
ok "... whose card file has the new line" sh -c \
   "git -C '$RA' show \"ksm-20211230:\$(git -C '$RA' ls-tree -r --name-only ksm-20211230 | grep '^cards/.*/K000950.txt')\" |
    grep -qx 'card	K000950	O0004		I	69124013720000000000000950	90.01'"

# One month's charge components of K000451 corrected, its bookings not
# (here: another card's components, and the charges half of its digest
# changed as the importer would change it): only its charges/ file is
# written again.  New objects: that file, export.txt, the trees root,
# charges/ and charges/XX/, the commit.
for h in "$HA" "$HB"; do
	sqlite3 "$h/czynsze.db" "UPDATE charge SET lines = (SELECT lines FROM charge WHERE card_id = 'K000403' ORDER BY period DESC LIMIT 1)
	      WHERE id = (SELECT max(id) FROM charge WHERE card_id = 'K000451');
	    UPDATE card_digest SET charges = randomblob(32) WHERE card_id = 'K000451';
	    UPDATE export SET generated_at = '2021-12-30T03:00:00'"
done
is "$(snap "$HA")" "8 0 6 2" "a charge corrected: 8 cards taken from the cache, the 9th's cards/ file and both table files too; 6 new objects"
snap "$HB" --full > /dev/null
is "$(git -C "$RA" rev-parse main)" "$(git -C "$RB" rev-parse main)" "... giving the --full commit"
is "$(git -C "$RA" diff --name-only main~ main | tr '\n' ' ')" "charges/40/K000451.txt export.txt " \
   "... whose only changed files are that card's charges and export.txt"

# audit snapshot leaves the logins' files to the commands that deal with
# them (nightly_lock_db): HOME/access removed by hand stays removed, and
# the next credentials command makes it again from keys.db.
rm "$HA/access"
for h in "$HA" "$HB"; do
	sqlite3 "$h/czynsze.db" "UPDATE export SET generated_at = '2021-12-30T04:00:00'"
done
"$CZ" --home "$HA" audit snapshot > /dev/null
snap "$HB" --full > /dev/null
ok "audit snapshot does not touch HOME/access" test ! -e "$HA/access" -a ! -L "$HA/access"
"$CZ" --home "$HA" credentials list > /dev/null
ok "... the next credentials command makes it again" test -L "$HA/access" -a -d "$HA/access/"

# A damaged cache is no cache: the night is written whole, still right.
# A well-formed cache (CRC right) whose tree the repository lacks:
python3 - "$RA/czynsze-card-cache" <<'PY'
import sys, zlib
p = sys.argv[1]
d = bytearray(open(p, "rb").read())
m = d.index(b"\n") + 1                  # the magic line, then the tree id
d[m:m + 20] = b"\x11" * 20
d[-4:] = (zlib.crc32(bytes(d[:-4])) & 0xffffffff).to_bytes(4, "little")
open(p, "wb").write(bytes(d))
PY
for h in "$HA" "$HB"; do
	sqlite3 "$h/czynsze.db" "UPDATE export SET generated_at = '2021-12-31T02:00:00'"
done
is "$(snap "$HA" | cut -d' ' -f1)" 0 "a cache naming a tree the repository lacks is ignored"
snap "$HB" --full > /dev/null
is "$(git -C "$RA" rev-parse ksm-20211231)" "$(git -C "$RB" rev-parse ksm-20211231)" \
   "... and the snapshot is still the --full one"
head -c 1000 "$RB/czynsze-card-cache" > "$RA/czynsze-card-cache"
sqlite3 "$HA/czynsze.db" "UPDATE export SET generated_at = '2022-01-01T02:00:00'"
is "$(snap "$HA" | cut -d' ' -f1)" 0 "a truncated cache (CRC wrong) is ignored: every card written"
printf 'czynsze card cache 3 (cards format 1)\ntree 0000000000000000000000000000000000000000\n' > "$RA/czynsze-card-cache"
sqlite3 "$HA/czynsze.db" "UPDATE export SET generated_at = '2022-01-02T02:00:00'"
is "$(snap "$HA" | cut -d' ' -f1)" 0 "so is a cache of an older format"
is "$(snap "$HA" | cut -d' ' -f1)" 9 "... and the next run has the cache again (9 cards unchanged)"

# 3,000 cards, night 2 with 1 % of them paid (fixtures/tools/next-night.py).
G1=$SCRATCH/g1; G2=$SCRATCH/g2; HG=$SCRATCH/g; HF=$SCRATCH/f
python3 "$FIX/tools/gen-export.py" --cards 3000 --years 1 --seed 15 "$G1" > /dev/null
python3 "$FIX/tools/next-night.py" "$G1" "$G2" --every 100 > /dev/null
"$CZ" --home "$HG" import "$G1" 2>/dev/null
ok "3,000 cards: night 2 imports with its snapshot" "$CZ" --home "$HG" import "$G2"
"$CZ" --home "$HG" import --no-snapshot "$G2" 2>/dev/null
"$CZ" --home "$HF" import --no-snapshot "$G2" 2>/dev/null
is "$(sqlite3 "$HG/czynsze.db" 'SELECT count(*) FROM card')" 3000 "... the export has 3,000 cards"
snap "$HF" --full > /dev/null
is "$(git -C "$HG" --git-dir="$HG/snapshots.git" rev-parse 'main^{tree}')" \
   "$(git --git-dir="$HF/snapshots.git" rev-parse 'main^{tree}')" \
   "... night 2's tree equals a --full snapshot of the same export in a fresh home"
"$CZ" --home "$HG" audit diff --json > "$SCRATCH/g.json"
is "$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['changes']), len(d['balances']))" "$SCRATCH/g.json")" \
   "30 30" "... and audit diff finds the 30 payments and 30 balances"
ok "git fsck --strict is clean" git --git-dir="$HG/snapshots.git" fsck --strict

# The cards written on 1 and on 3 threads (snapshot_cards.h): the same
# pack byte for byte (its name is its SHA-1), and a worker's error stops
# the snapshot with nothing committed and no pack left behind.
HJ=$SCRATCH/j1; HK=$SCRATCH/j3
for h in "$HJ" "$HK"; do "$CZ" --home "$h" import --no-snapshot "$G2" 2>/dev/null; done
"$CZ" --home "$HJ" audit snapshot --jobs 1 > /dev/null
"$CZ" --home "$HK" audit snapshot --jobs 3 > /dev/null
is "$(cd "$HK/snapshots.git/objects/pack" && ls *.pack)" "$(cd "$HJ/snapshots.git/objects/pack" && ls *.pack)" \
   "3,000 cards on 1 and on 3 threads: the same pack, byte for byte"
is "$(git --git-dir="$HK/snapshots.git" rev-parse 'main^{tree}')" "$(git --git-dir="$HF/snapshots.git" rev-parse 'main^{tree}')" \
   "... holding the tree of the --full snapshot"
sqlite3 "$HK/czynsze.db" "UPDATE charge SET lines = 'zepsute' WHERE id = (SELECT max(id) FROM charge);
    UPDATE export SET generated_at = '2022-02-01T02:00:00'"
"$CZ" --home "$HK" audit snapshot --full --jobs 3 > /dev/null 2> "$SCRATCH/j3.err"
is "$?:$(grep -c '^czynsze: card K[0-9]*: charge of [0-9-]*: malformed lines$' "$SCRATCH/j3.err")" "1:1" \
   "a charge that does not parse, on a worker thread: exit 1 naming the card and month"
is "$(git --git-dir="$HK/snapshots.git" rev-list --count main),$(ls "$HK/snapshots.git/objects/pack" | wc -l)" "1,2" \
   "... nothing committed, only night 1's pack and index in objects/pack"

# Trees are edited, not rebuilt: a night that changes one card line builds
# only the folders of that card's cards/ file (cards/, cards/XX/) and
# takes every other folder's tree from the last snapshot, charges/ and
# all 256 folders below it too (the night before, a payment night, took
# charges/ whole: its folders must still be in the cache).
# folders HOME [--full]: "N M F": cards unchanged, more with charges
# unchanged, folders unchanged
folders() { "$CZ" --home "$1" audit snapshot ${2:-} | sed -n 's/.*(\([0-9]*\) cards unchanged, \([0-9]*\) more.*, \([0-9]*\) folders unchanged.*/\1 \2 \3/p'; }
for h in "$HG" "$HF"; do
	sqlite3 "$h/czynsze.db" "UPDATE card SET kind = 'I' WHERE id = 'K001500';
	    UPDATE export SET generated_at = '2022-01-05T02:00:00'"
done
all=$(git --git-dir="$HG/snapshots.git" ls-tree -r -d --name-only main | wc -l)
is "$(folders "$HG")" "2999 1 $((all - 2))" \
   "one card line changed: its charges/ file and all but 2 folders are the last night's"
folders "$HF" --full > /dev/null
is "$(git --git-dir="$HG/snapshots.git" rev-parse 'main^{tree}')" "$(git --git-dir="$HF/snapshots.git" rev-parse 'main^{tree}')" \
   "... and the tree is the --full snapshot's"

# The v2 fixture nights (readings, documents): incremental == --full.
HV=$SCRATCH/v; HW=$SCRATCH/w
for n in ksm-20211230 ksm-20211231; do
	"$CZ" --home "$HV" import "$FIX/v2/$n" 2>/dev/null
	"$CZ" --home "$HW" import --no-snapshot "$FIX/v2/$n" 2>/dev/null
	snap "$HW" --full > /dev/null
done
is "$(git --git-dir="$HV/snapshots.git" ls-tree -r --name-only ksm-20211231 | grep -cE '^(readings|documents)/')" 8 \
   "v2 nights: readings and documents are in the snapshots"
is "$(git --git-dir="$HV/snapshots.git" rev-parse ksm-20211230 ksm-20211231 'ksm-20211231^{tree}' | tr '\n' ' ')" \
   "$(git --git-dir="$HW/snapshots.git" rev-parse ksm-20211230 ksm-20211231 'ksm-20211231^{tree}' | tr '\n' ' ')" \
   "... and both have the commits and tree of --full snapshots"

# 30 nights of a small cooperative, without gc.
S=$SCRATCH/s0; HS=$SCRATCH/hs
python3 "$FIX/tools/gen-export.py" --cards 60 --years 1 --seed 3 "$S" > /dev/null
"$CZ" --home "$HS" import "$S" 2>/dev/null
i=1
while [ $i -le 30 ]; do
	python3 "$FIX/tools/next-night.py" "$SCRATCH/s$((i - 1))" "$SCRATCH/s$i" --every 7 > /dev/null
	"$CZ" --home "$HS" import "$SCRATCH/s$i" 2>/dev/null || echo "# night $i failed"
	rm -rf "$SCRATCH/s$((i - 1))"
	i=$((i + 1))
done
RS=$HS/snapshots.git
is "$(git --git-dir="$RS" rev-list --count main),$(loose "$RS")" "31,0" "31 nights, no loose object"
ok "... in at most 3 packs ($(packs "$RS"))" test "$(packs "$RS")" -le 3
ok "... that git fsck --strict finds complete" git --git-dir="$RS" fsck --strict
"$CZ" --home "$SCRATCH/hs2" import --no-snapshot "$SCRATCH/s30" 2>/dev/null
snap "$SCRATCH/hs2" --full > /dev/null
is "$(git --git-dir="$SCRATCH/hs2/snapshots.git" rev-parse 'main^{tree}')" "$(git --git-dir="$RS" rev-parse 'main^{tree}')" \
   "night 31's tree equals a --full snapshot of that export alone"
done_testing
