#!/bin/sh
# t0300-snapshot.sh — every import leaves a git snapshot: deterministic
# trees and commits, tags, stock git can read it, gc packs it.
. "$(dirname "$0")/lib.sh"
plan 30
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
H1=$SCRATCH/h1
H2=$SCRATCH/h2
R1=$H1/snapshots.git
R2=$H2/snapshots.git

ok "night 1 imports" "$CZ" --home "$H1" import "$N1"
ok "... leaving a bare repository" test -f "$R1/HEAD" -a ! -e "$R1/index"
is "$(git -C "$R1" tag)" "ksm-20211228" "... tagged ksm-20211228"
is "$(git -C "$R1" log -1 --format='%an <%ae>|%cn <%ce>|%at|%ct|%ad' --date=iso-strict ksm-20211228)" \
   "KSM export <ksm@czynsze.invalid>|KSM export <ksm@czynsze.invalid>|1640656813|1640656813|2021-12-28T02:00:13+00:00" \
   "author, committer and both times are the export's, in UTC"
ok "the message names the manifest SHA-256" sh -c \
   "git -C '$R1' log -1 --format=%B ksm-20211228 | grep -q 'Manifest SHA-256: c5d73514d926baf98dea24c46edf5de408fb822af3a9148346f58ee995633ca5'"
ok "... and the warnings" sh -c \
   "git -C '$R1' log -1 --format=%B ksm-20211228 | grep -q 'Warnings: 1 balance mismatch(es), 1 charge mismatch(es)'"
tree1=$(git -C "$R1" rev-parse 'ksm-20211228^{tree}')
commit1=$(git -C "$R1" rev-parse 'ksm-20211228^{commit}')

ok "git show TAG:README works" sh -c "git -C '$R1' show ksm-20211228:README | grep -q 'cards/XX/ID.txt'"
card=$(git -C "$R1" ls-tree -r --name-only ksm-20211228 | grep '/K000403.txt$' | grep '^cards/')
ok "card files are fanned out as cards/XX/ID.txt" sh -c "echo '$card' | grep -qE '^cards/[0-9a-f]{2}/K000403.txt$'"
ok "a card file holds the card and its bookings, escaped" sh -c \
   "git -C '$R1' show 'ksm-20211228:$card' > '$SCRATCH/card' &&
    grep -qx 'card	K000403	O0003	B07/1/3	C	94124013720000000000000403	-40.11' '$SCRATCH/card' &&
    grep -qx 'booking	10025	2021-11-15	2021-10	KOR	KOR/2021/11/3	-12.00	0.00	Korekta naliczenia\\\\nza październik 2021' '$SCRATCH/card'"
ok "git fsck is clean" git -C "$R1" fsck --strict
# Every charges file against the charge_component view, rendered
# independently here (sqlite3 prints the same decimals the canonical
# text uses): a change in how the snapshot reads charge.lines shows.
ok "every charges file equals the charge_component view, line for line" sh -c '
    set -e
    for id in $(sqlite3 "$1/czynsze.db" "SELECT DISTINCT card_id FROM charge ORDER BY 1"); do
        f=$(git -C "$2" ls-tree -r --name-only ksm-20211228 | grep "^charges/../$id.txt\$")
        git -C "$2" show "ksm-20211228:$f" | tail -n +2 > "$3/got"
        sqlite3 -separator "	" "$1/czynsze.db" "
            SELECT '"'"'component'"'"', c.period, cc.seq, cc.code, cc.name, cc.basis,
                   printf('"'"'%d.%02d'"'"', cc.quantity_e4 / 10000, cc.quantity_e4 % 10000 / 100)
                   || rtrim(printf('"'"'%02d'"'"', cc.quantity_e4 % 100), '"'"'0'"'"'),
                   printf('"'"'%d.%02d'"'"', cc.rate_e4 / 10000, cc.rate_e4 % 10000 / 100)
                   || rtrim(printf('"'"'%02d'"'"', cc.rate_e4 % 100), '"'"'0'"'"'),
                   printf('"'"'%s%d.%02d'"'"', CASE WHEN cc.amount_gr < 0 THEN '"'"'-'"'"' ELSE '"'"''"'"' END,
                          abs(cc.amount_gr) / 100, abs(cc.amount_gr) % 100)
            FROM charge c JOIN charge_component cc ON cc.charge_id = c.id
            WHERE c.card_id = '"'"'$id'"'"' ORDER BY c.period, cc.seq" > "$3/want"
        cmp -s "$3/got" "$3/want" || { diff "$3/want" "$3/got" | head -5 >&2; exit 1; }
    done' sh "$H1" "$R1" "$SCRATCH"

ok "re-importing the same export succeeds" "$CZ" --home "$H1" import "$N1"
is "$(git -C "$R1" rev-list --count main)" 1 "... without a second commit"

ok "night 2 imports" "$CZ" --home "$H1" import "$N2"
is "$(git -C "$R1" log --format=%s main | tr '\n' '|')" \
   "KSM export 2021-12-29T02:00:07: 9 cards, 51 bookings, 2 warnings|KSM export 2021-12-28T02:00:13: 9 cards, 50 bookings, 2 warnings|" \
   "git log lists both snapshots, newest first"
is "$(git -C "$R1" rev-parse 'ksm-20211229^')" "$commit1" "night 2's parent is night 1"
is "$(git -C "$R1" diff --name-only ksm-20211228 ksm-20211229 | tr '\n' ' ')" \
   "balance-dates.txt cards/40/K000451.txt cards/86/K000480.txt cards/db/K000403.txt export.txt people.txt " \
   "git diff: exactly the changed files (three cards, people, balance dates, export)"
ok "git diff shows the edited booking line" sh -c \
   "git -C '$R1' diff ksm-20211228 ksm-20211229 | grep -qx '+booking	10005	2021-10-05	2021-10	WPL	WB/2021/10/105	0.00	290.63	Wpłata'"

# An auditor re-derives night 1 from the archived export in a fresh home.
"$CZ" --home "$H2" import "$N1" 2>/dev/null
is "$(git -C "$R2" rev-parse 'ksm-20211228^{tree}')" "$tree1" "a fresh home gives the same tree id"
is "$(git -C "$R2" rev-parse 'ksm-20211228^{commit}')" "$commit1" "... and the same commit id"

# A snapshot missing (--no-snapshot, or a crash) is made by the next import.
H3=$SCRATCH/h3
"$CZ" --home "$H3" import --no-snapshot "$N1" 2>/dev/null
"$CZ" --home "$H3" import "$N1" 2>/dev/null
is "$(git -C "$H3/snapshots.git" rev-parse 'ksm-20211228^{commit}' 2>&1)" "$commit1" \
   "--no-snapshot, then an unchanged import, makes the same snapshot"

# A second export on the same day keeps the day's tag and gets a longer one.
sqlite3 "$H2/czynsze.db" "UPDATE export SET generated_at = '2021-12-28T14:30:00'; UPDATE person SET town = 'Kielce' WHERE id = 'O0001'"
"$CZ" --home "$H2" audit snapshot > "$SCRATCH/snap" 2>&1
is "$(git -C "$R2" tag | tr '\n' ' ')" "ksm-20211228 ksm-20211228T143000 " "a second export that day is tagged ksm-YYYYMMDDTHHMMSS"
is "$(git -C "$R2" rev-parse 'ksm-20211228T143000^' 'ksm-20211228' | uniq | wc -l)" 1 "... on top of the day's first snapshot"

is "$(git -C "$R1" count-objects -v | sed -n 's/^count: //p'),$(ls "$R1"/objects/pack/*.pack | wc -l)" \
   "0,2" "no loose objects: each night's new objects are one pack"
# Loose objects (as a czynsze before packs per night left them) in two
# of the 256 folders: gc packs them all, and they stay readable.
l1=$(printf 'loose one\n' | git -C "$R1" hash-object -w --stdin)
l2=$(printf 'loose two\n' | git -C "$R1" hash-object -w --stdin)
l3=$(printf 'loose three\n' | git -C "$R1" hash-object -w --stdin)
is "$(git -C "$R1" count-objects -v | sed -n 's/^count: //p')" 3 "three loose objects made"
"$CZ" --home "$H1" audit gc > "$SCRATCH/gc" 2>&1
is "$(git -C "$R1" count-objects -v | sed -n 's/^count: //p')" 0 "audit gc packs every loose object"
is "$(git -C "$R1" cat-file -p "$l1")$(git -C "$R1" cat-file -p "$l2")$(git -C "$R1" cat-file -p "$l3")" \
   "loose oneloose twoloose three" "... and each is still there, from the pack"
ok "... and git fsck stays clean, with both tags readable" sh -c \
   "git -C '$R1' fsck --strict && git -C '$R1' show ksm-20211228:README >/dev/null &&
    git -C '$R1' diff --quiet ksm-20211229 ksm-20211229"
ok "audit gc --full repacks into one pack" "$CZ" --home "$H1" audit gc --full
ok "... that git fsck finds complete, holding both snapshots" sh -c \
   "[ \$(ls '$R1'/objects/pack/*.pack | wc -l) = 1 ] && git -C '$R1' fsck --strict &&
    [ \$(git -C '$R1' count-objects -v | sed -n 's/^count: //p') = 0 ] &&
    git -C '$R1' diff ksm-20211228 ksm-20211229 | grep -q '^+booking	10043	'"
done_testing
