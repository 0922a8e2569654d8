#!/bin/sh
# t0152-documents-kill.sh — SIGKILL in the middle of a reset, at every step
# (CZYNSZE_TEST_KILL_AT, access_live.h), with documents: once the next
# command took the lock (and finished or undid the reset), every kept
# generation holds the login's bundle and its documents of exactly one key
# version — the one in force — and each document opens with the password
# in force: old or new, never both, never neither, never a mix.
. "$(dirname "$0")/lib.sh"
RESET_POINTS="reset-before-rekey reset-before-letters reset-before-commit reset-before-switch access-before-switch access-before-drop"
plan 7
H=$CZYNSZE_HOME
NIGHTLY="$CZ nightly --settle-ms 0 --templates $TOP/site-templates"
row() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$3" 2> /dev/null; }
# stem LOGIN: the bundle's name as the browser computes it from the shard
stem() {
	python3 - "$H/access" "$1" <<'PYTHON'
import hashlib, json, sys
h = hashlib.sha256(sys.argv[2].encode()).hexdigest()
e = json.load(open(f"{sys.argv[1]}/auth/{h[:2]}.json")).get(h, {})
print(sys.argv[2] + (f".{e['v']}" if e.get("v", 1) > 1 else ""))
PYTHON
}
# one_version LOGIN STEM PASSWORD: in every generation, LOGIN's files are
# STEM.bin and STEM.dTOKEN.bin only, two documents, each opening with PASSWORD
one_version() {
	for g in "$H"/sites/*/www/r; do
		[ -z "$(ls "$g" | grep "^$1\." | grep -v "^$2\.bin\$" | grep -v "^$2\.d[0-9a-f]\{32\}\.bin\$")" ] || return 1
		[ "$(ls "$g" | grep -c "^$2\.d")" -eq 2 ] || return 1
		for d in "$g/$2".d*.bin; do
			python3 "$TOP/tests/czynsze-open.py" "$g/$2.bin" "$1" --password "$3" --document "$d" |
			    head -c 5 | grep -q '%PDF-' || return 1
		done
	done
}

$NIGHTLY "$FIX/v2/ksm-20211230" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/l1" --site-url https://e.example.pl/ > /dev/null 2>&1
$NIGHTLY "$FIX/v2/ksm-20211231" > /dev/null 2>&1
LA=$(row O0001 6 "$SCRATCH/l1/credentials.csv"); P=$(row O0001 7 "$SCRATCH/l1/credentials.csv")
ok "before: two generations, A's documents of one version, opening with A's password" one_version "$LA" "$LA" "$P"
for point in $RESET_POINTS; do
	CZYNSZE_TEST_KILL_AT=$point "$CZ" credentials reset O0001 --letters "$SCRATCH/l-$point" \
	    --site-url https://e.example.pl/ > /dev/null 2>&1
	"$CZ" credentials list > /dev/null 2>&1       # takes the lock: finishes or undoes
	S=$(stem "$LA")
	new=$(row O0001 7 "$SCRATCH/l-$point/credentials.csv")
	if [ -n "$new" ] && python3 "$TOP/tests/czynsze-open.py" "$H/site/www/r/$S.bin" "$LA" --password "$new" > /dev/null 2>&1; then
		P=$new
	fi
	ok "killed at $point: A's bundle and documents of one version ($S) in every generation, opening with the password in force" \
	    one_version "$LA" "$S" "$P"
done
done_testing
