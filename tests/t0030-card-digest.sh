#!/bin/sh
# t0030-card-digest.sh — table card_digest (schema/003-card-digest.sql):
# one row per card, equal to a recomputation from the stored rows
# (tests/card-digest.py, the encoding of importer/card_digest.h), changed
# exactly for the cards whose bookings or charge components changed; and
# its halves (schema/006-snapshot-digests.sql), each changed only by
# its own part.
. "$(dirname "$0")/lib.sh"
plan 21
N1=$FIX/ksm-20211228
N2=$FIX/ksm-20211229
DB=$CZYNSZE_HOME/czynsze.db

digests() {
	sqlite3 "$DB" "SELECT card_id || ' ' || lower(hex(digest)) FROM card_digest ORDER BY card_id"
}
# CARD_ID DIGEST BOOKINGS CHARGES, as card-digest.py --halves prints them
halves() {
	sqlite3 "$DB" "SELECT card_id || ' ' || lower(hex(digest)) || ' ' || lower(hex(bookings)) ||
	    ' ' || lower(hex(charges)) FROM card_digest ORDER BY card_id"
}
tables() {
	sqlite3 "$DB" "SELECT name || ' ' || lower(hex(digest)) FROM table_digest ORDER BY name"
}
# The cards whose bookings (column 3) or charges (4) half differs.
changed_half() {
	join "$2" "$3" | awk -v c="$1" '$c != $(c + 3) { print $1 }' | tr '\n' ' '
}
# The cards whose digest differs between two digests() listings.
changed() {
	join "$1" "$2" | awk '$2 != $3 { print $1 }' | tr '\n' ' '
}

ok "first night imports" "$CZ" import "$N1"
is "$(sqlite3 "$DB" "SELECT count(*) FROM card c JOIN card_digest d ON d.card_id = c.id")" 9 \
   "every card has a digest"
is "$(sqlite3 "$DB" "SELECT count(*) FROM card_digest")" 9 "... and only one"
digests > "$SCRATCH/n1"
python3 "$TOP/tests/card-digest.py" "$DB" > "$SCRATCH/n1-py"
ok "the digests are what the documented encoding gives" cmp "$SCRATCH/n1" "$SCRATCH/n1-py"
halves > "$SCRATCH/h1"
python3 "$TOP/tests/card-digest.py" "$DB" --halves > "$SCRATCH/h1-py"
ok "... and so are their halves" cmp "$SCRATCH/h1" "$SCRATCH/h1-py"
tables > "$SCRATCH/t1"
python3 "$TOP/tests/card-digest.py" "$DB" --tables > "$SCRATCH/t1-py"
ok "table_digest of person and premises is what the documented encoding gives" \
   cmp "$SCRATCH/t1" "$SCRATCH/t1-py"

# Night 2 (fixtures/README.md): 10043 added to K000451 and 10044 to
# K000480, 10005 of K000403 edited, 10029 of K000451 deleted; every
# card's data_salda and some saldos changed, a person's address changed,
# naliczenia.xml the same: neither is part of a digest.
ok "second night imports" "$CZ" import "$N2"
digests > "$SCRATCH/n2"
is "$(changed "$SCRATCH/n1" "$SCRATCH/n2")" "K000403 K000451 K000480 " \
   "night 2: exactly the cards with changed bookings have new digests"
python3 "$TOP/tests/card-digest.py" "$DB" > "$SCRATCH/n2-py"
ok "... and they are what the documented encoding gives" cmp "$SCRATCH/n2" "$SCRATCH/n2-py"
halves > "$SCRATCH/h2"
is "$(changed_half 3 "$SCRATCH/h1" "$SCRATCH/h2")/$(changed_half 4 "$SCRATCH/h1" "$SCRATCH/h2")" \
   "K000403 K000451 K000480 /" "... their bookings halves changed, no charges half"
tables > "$SCRATCH/t2"
is "$(join "$SCRATCH/t1" "$SCRATCH/t2" | awk '$2 != $3 { print $1 }' | tr '\n' ' ')" "person " \
   "night 2 changed a person's address: the person table's digest changed, not premises'"
python3 "$TOP/tests/card-digest.py" "$DB" --tables > "$SCRATCH/t2-py"
ok "... as the documented encoding gives" cmp "$SCRATCH/t2" "$SCRATCH/t2-py"

# One grosz more on one booking of K000320 (10042, ma 455,79).
X=$SCRATCH/one-grosz
cp -R "$N1" "$X" &&
LC_ALL=C sed -i 's/^\(10042;K000320;.*;\)455,79;PLN/\1455,80;PLN/' "$X/obroty.csv" &&
python3 "$FIX/tools/manifest.py" "$X" > /dev/null
ok "the booking was changed" env LC_ALL=C grep -q "^10042;K000320;.*;455,80;PLN" "$X/obroty.csv"
ok "an export with one booking one grosz more imports" "$CZ" import --force --no-snapshot "$X"
digests > "$SCRATCH/x"
is "$(changed "$SCRATCH/n1" "$SCRATCH/x")" "K000320 " "... and changes that card's digest only"

# One grosz more on one charge component: K000451, 10.2021, EKS (line 5).
Y=$SCRATCH/one-grosz-charge
cp -R "$N1" "$Y" &&
sed -i '5s/kwota="94,19"/kwota="94,20"/' "$Y/naliczenia.xml" &&
python3 "$FIX/tools/manifest.py" "$Y" > /dev/null
ok "the component was changed" grep -q 'kwota="94,20"' "$Y/naliczenia.xml"
ok "an export with one component one grosz more imports" "$CZ" import --force --no-snapshot "$Y"
digests > "$SCRATCH/y"
is "$(changed "$SCRATCH/n1" "$SCRATCH/y")" "K000451 " "... and changes that card's digest only"
halves > "$SCRATCH/hy"
is "$(changed_half 3 "$SCRATCH/h1" "$SCRATCH/hy")/$(changed_half 4 "$SCRATCH/h1" "$SCRATCH/hy")" \
   "/K000451 " "... its charges half, not its bookings half"
python3 "$TOP/tests/card-digest.py" "$DB" --halves > "$SCRATCH/hy-py"
ok "... as the documented encoding gives" cmp "$SCRATCH/hy" "$SCRATCH/hy-py"

ok "importing the first night again gives its digests again" sh -c \
   "'$CZ' import --force --no-snapshot '$N1' && [ \"\$(sqlite3 '$DB' \"SELECT card_id || ' ' || lower(hex(digest)) FROM card_digest ORDER BY card_id\")\" = \"\$(cat '$SCRATCH/n1')\" ]"
done_testing
