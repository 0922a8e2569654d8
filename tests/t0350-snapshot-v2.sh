#!/bin/sh
# t0350-snapshot-v2.sh — snapshots of export format 2: v1 exports keep the
# very trees and commits they had before format 2 existed; a v2 snapshot
# holds every meter reading (canonical text per premises, exact thousandths)
# and every document's metadata and SHA-256, and names them in its README
# and commit message; the same data gives the same tree in a fresh home.
# The v2 rows are written by hand into a v1 import (tests/audit-v2-night1.sql).
. "$(dirname "$0")/lib.sh"
plan 13
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
H1=$SCRATCH/h1; R1=$H1/snapshots.git

# The ids the fixtures' snapshots had before format 2 (commit 4385d51).
"$CZ" --home "$H1" import "$N1" 2>/dev/null
"$CZ" --home "$H1" import "$N2" 2>/dev/null
is "$(git -C "$R1" rev-parse ksm-20211228 'ksm-20211228^{tree}' | tr '\n' ' ')" \
   "3b19b74c013b1d0e13f1228e9d7c29c0822c579c c33bde2b86d2f9154e63a0e078186845593fac66 " \
   "v1 night 1: the commit and tree of before format 2"
is "$(git -C "$R1" rev-parse ksm-20211229 'ksm-20211229^{tree}' | tr '\n' ' ')" \
   "e9c93d5718b1a3d16e84ff821a254e8101a7edb0 a9ab14c9421255e22b74e7fdbe7ee0399a8f7378 " \
   "v1 night 2: the commit and tree of before format 2"
is "$(git -C "$R1" ls-tree -r --name-only main | grep -cE '^(readings|documents)/')" 0 \
   "... no readings/ or documents/ in a v1 snapshot"

H2=$SCRATCH/h2; R2=$H2/snapshots.git
"$CZ" --home "$H2" import --no-snapshot "$N1" 2>/dev/null
sqlite3 "$H2/czynsze.db" < "$TOP/tests/audit-v2-night1.sql"
ok "a v2 database snapshots" "$CZ" --home "$H2" audit snapshot
is "$(git -C "$R2" ls-tree -r --name-only main | grep -E '^(readings|documents)/' | tr '\n' ' ')" \
   "documents/2020-06.txt documents/2021-10.txt documents/2021-12.txt readings/2e/B07%2F1%2F3.txt readings/72/B03%2F1%2F12.txt " \
   "one readings file per premises with readings, one documents file per month"
T=$(printf '\t')
cat > "$SCRATCH/want-b07" <<EOF
# reading${T}id${T}premises${T}meter${T}medium${T}date${T}state${T}kind${T}usage${T}ksm_usage
reading${T}R1${T}B07/1/3${T}WM-1${T}ZW${T}2021-10-31${T}12.345${T}O${T}${T}
reading${T}R2${T}B07/1/3${T}WM-1${T}ZW${T}2021-11-30${T}13.000${T}S${T}0.655${T}0.655
reading${T}R3${T}B07/1/3${T}WM-1${T}ZW${T}2021-12-28${T}12.900${T}O${T}${T}
# reading_warning${T}reading${T}kind${T}expected${T}found
reading_warning${T}R3${T}decrease${T}13.000${T}12.900
EOF
git -C "$R2" show 'main:readings/2e/B07%2F1%2F3.txt' > "$SCRATCH/got-b07"
ok "B07/1/3: readings by meter and date, thousandths exact, empty = none, then the warning" \
   cmp "$SCRATCH/want-b07" "$SCRATCH/got-b07"
a64=$(printf 'a%.0s' $(seq 64))
cat > "$SCRATCH/want-doc" <<EOF
# document${T}id${T}date${T}kind${T}owner_kind${T}owner${T}title${T}path${T}bytes${T}sha256
document${T}ZAW-1${T}2021-10-15${T}ZAW${T}card${T}K000403${T}Zawiadomienie o zmianie opłat${T}dokumenty/2021/ZAW-1.pdf${T}48213${T}$a64
EOF
git -C "$R2" show 'main:documents/2021-10.txt' > "$SCRATCH/got-doc"
ok "documents/2021-10.txt: the document's metadata and SHA-256" cmp "$SCRATCH/want-doc" "$SCRATCH/got-doc"
ok "a public document has an empty owner" sh -c \
   "git -C '$R2' show main:documents/2020-06.txt | grep -q '^document${T}STATUT${T}2020-06-20${T}OGL${T}public${T}${T}Statut'"
ok "the README explains the format 2 files" sh -c \
   "git -C '$R2' show main:README | grep -q '^  readings/XX/ID.txt' &&
    git -C '$R2' show main:README | grep -q '^  documents/YYYY-MM.txt'"
ok "... and starts as a v1 README does" sh -c \
   "git -C '$R1' show main:README > '$SCRATCH/r1' && git -C '$R2' show main:README | head -c \$(wc -c < '$SCRATCH/r1') | cmp - '$SCRATCH/r1'"
ok "the commit message counts readings, their warnings and documents" sh -c \
   "git -C '$R2' log -1 --format=%B main | grep -qx 'Meter readings: 5 on 2 premises, 1 warning(s)' &&
    git -C '$R2' log -1 --format=%B main | grep -qx 'Documents: 3'"

H3=$SCRATCH/h3
"$CZ" --home "$H3" import --no-snapshot "$N1" 2>/dev/null
sqlite3 "$H3/czynsze.db" < "$TOP/tests/audit-v2-night1.sql"
"$CZ" --home "$H3" audit snapshot --full > /dev/null
is "$(git -C "$H3/snapshots.git" rev-parse main)" "$(git -C "$R2" rev-parse main)" \
   "the same v2 data in a fresh home (--full) gives the same commit"
ok "git fsck --strict is clean" git -C "$R2" fsck --strict
done_testing
