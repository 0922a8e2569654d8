#!/bin/sh
# t0230-credentials-live.sh — revoke and reset take effect on the live
# site at once, through real nginx with the default `czynsze nginx-conf`
# paths, without another nightly; rollback changes nothing about who can
# log in; nothing else in the live site is touched; a reset draws a new
# data key.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/nginx-lib.sh"
trap 'nginx_stop; rm -rf "$SCRATCH"' EXIT
plan 34
H=$CZYNSZE_HOME
URL=https://e.example.pl/
NIGHTLY="$CZ nightly --settle-ms 0 --templates $TOP/site-templates"
N3=$SCRATCH/ksm-20211230
cp -r "$FIX/ksm-20211229" "$N3"
sed -i 's/wygenerowano="2021-12-29T02:00:07"/wygenerowano="2021-12-30T02:00:07"/' "$N3/eksport.xml"

ok "nginx is installed (scripts/deps.sh)" nginx_need
# three nights, the logins issued after the first
$NIGHTLY "$FIX/ksm-20211228" > /dev/null 2>&1
live_but_r() { (cd "$H/site/" && find . -type f ! -path './www/r/*' -exec sha256sum {} + | sort); }
live_but_r > "$SCRATCH/n1"
"$CZ" credentials issue --letters "$SCRATCH/l1" --site-url "$URL" > "$SCRATCH/issue.out" 2>&1
ok "issue says where the letters are and when they are purged" sh -c "
   grep -q '$SCRATCH/l1' '$SCRATCH/issue.out' && grep -q 'purge removes them after 30 days' '$SCRATCH/issue.out'"
row() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$3"; }
ok "issue seals the new logins' statements into the live generation at once" sh -c "
   python3 '$TOP/tests/czynsze-open.py' '$H/site/www/r/$(row O0001 6 "$SCRATCH/l1/credentials.csv").bin' \
     '$(row O0001 6 "$SCRATCH/l1/credentials.csv")' --password '$(row O0001 7 "$SCRATCH/l1/credentials.csv")' | grep -q Kowalska"
live_but_r > "$SCRATCH/n1-after"
ok "... and touches nothing else in it" cmp "$SCRATCH/n1" "$SCRATCH/n1-after"
$NIGHTLY "$FIX/ksm-20211229" > /dev/null 2>&1
$NIGHTLY "$N3" > /dev/null 2>&1
is "$(ls "$H/sites" | tr '\n' ' ')" "20211228T020013 20211229T020007 20211230T020007 " "three generations"
row() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$3"; }
LA=$(row O0001 6 "$SCRATCH/l1/credentials.csv"); PA=$(row O0001 7 "$SCRATCH/l1/credentials.csv")
LB=$(row O0002 6 "$SCRATCH/l1/credentials.csv"); PB=$(row O0002 7 "$SCRATCH/l1/credentials.csv")
LC=$(row O0003 6 "$SCRATCH/l1/credentials.csv"); PC=$(row O0003 7 "$SCRATCH/l1/credentials.csv")
ok "the live generation has no salt shards nor htpasswd of its own" sh -c "
   test ! -e '$H/site/www/auth' && test ! -e '$H/site/htpasswd.d' &&
   test -f '$H/access/auth/00.json' && test -f '$H/access/htpasswd.d/_'"

PORT=$(free_port)
"$CZ" nginx-conf --listen "127.0.0.1:$PORT" --server-name localhost --access-log "$SCRATCH/access.log" > "$SCRATCH/czynsze.conf"
ok "nginx starts with the default configuration (live site, live logins)" \
   nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf"
B=http://127.0.0.1:$PORT

# helpers, in a file so that `sh -c` in ok can use them too
cat > "$SCRATCH/fns" <<FNS
B=$B; SCRATCH=$SCRATCH; H=$H; TOP=$TOP
FNS
cat >> "$SCRATCH/fns" <<'FNS'
token() { python3 "$TOP/tests/czynsze-token.py" "$H/access" "$1" "$2"; }
# stem LOGIN: the bundle's name as the browser computes it from the shard
stem() {
	python3 - "$H/access" "$1" <<'PYTHON'
import hashlib, json, sys
h = hashlib.sha256(sys.argv[2].encode()).hexdigest()
e = json.load(open(f"{sys.argv[1]}/auth/{h[:2]}.json")).get(h, {})
print(sys.argv[2] + (f".{e['v']}" if e.get("v", 1) > 1 else ""))
PYTHON
}
# opens LOGIN PASSWORD: 0 when the browser's way in works through nginx
# (salt shard -> token -> 200 for the bundle -> the password opens it)
opens() {
	_t=$(token "$1" "$2") && _s=$(stem "$1") &&
	[ "$(curl -s -o "$SCRATCH/got.bin" -w '%{http_code}' -u "$1:$_t" "$B/r/$_s.bin")" = 200 ] &&
	python3 "$TOP/tests/czynsze-open.py" "$SCRATCH/got.bin" "$1" --password "$2" > "$SCRATCH/got.html"
}
FNS
. "$SCRATCH/fns"
code_with_old_token() { curl -s -o /dev/null -w '%{http_code}' -u "$1:$2" "$B/r/$1.bin"; }

ok "before: A, B and C open their statements" sh -c ". '$SCRATCH/fns'; opens '$LA' '$PA' && opens '$LB' '$PB' && opens '$LC' '$PC'"
TA=$(token "$LA" "$PA"); TB=$(token "$LB" "$PB")
untouched() {  # every live file except A's and B's bundles, with its hash
	(cd "$H/site/" && find . -type f ! -path "./www/r/$LA*" ! -path "./www/r/$LB*" -exec sha256sum {} + | sort)
}
untouched > "$SCRATCH/before"
dk_b=$(sqlite3 "$H/keys.db" "SELECT hex(data_key) FROM login WHERE login = '$LB'")

"$CZ" credentials revoke O0001 > "$SCRATCH/revoke.out" 2>&1
ok "revoke A says it is in force now" grep -q "from now on it opens nothing" "$SCRATCH/revoke.out"
"$CZ" credentials reset O0002 --letters "$SCRATCH/l2" --site-url "$URL" > "$SCRATCH/reset.out" 2>&1
ok "reset B says the new password works now" grep -q "in force now: the new password" "$SCRATCH/reset.out"
PB2=$(row O0002 7 "$SCRATCH/l2/credentials.csv")

four_results() {  # $1: when
	is "$(code_with_old_token "$LA" "$TA")" 401 "$1: A's token is refused (401)"
	ok "$1: A opens nothing" sh -c "! ls '$H'/sites/*/www/r/ | grep -q '^$LA'"
	is "$(code_with_old_token "$LB" "$TB")" 401 "$1: B's old token is refused (401)"
	ok "$1: B's old password opens nothing" sh -c "! (. '$SCRATCH/fns'; opens '$LB' '$PB')"
	ok "$1: B's new password opens B's statement" sh -c ". '$SCRATCH/fns'; opens '$LB' '$PB2' && grep -q 'Żółkiewski' '$SCRATCH/got.html'"
	ok "$1: C is untouched" sh -c ". '$SCRATCH/fns'; opens '$LC' '$PC'"
}
four_results "without another nightly"
untouched > "$SCRATCH/after"
ok "nothing else in the live site changed" cmp "$SCRATCH/before" "$SCRATCH/after"
ok "B's bundle is r/$LB.2.bin in every generation, the old one gone" sh -c "
   for g in '$H'/sites/*/; do [ -e \"\$g/www/r/$LB.bin\" ] && exit 1;
     [ -f \"\$g/www/r/$LB.2.bin\" ] || exit 1; done"
ok "the reset drew a new data key: B's new bundle does not open with the old one" sh -c "
   ! python3 '$TOP/tests/czynsze-open.py' '$H/site/www/r/$LB.2.bin' '$LB' --key '$dk_b' > /dev/null 2>&1 &&
   python3 '$TOP/tests/czynsze-open.py' '$H/site/www/r/$LB.2.bin' '$LB' --key \
     \"\$(sqlite3 '$H/keys.db' \"SELECT hex(data_key) FROM login WHERE login = '$LB'\")\" > /dev/null"

"$CZ" rollback > /dev/null 2>&1
is "$(readlink "$H/site")" "sites/20211229T020007" "rollback switched the site"
four_results "after rollback"

# the next nightly keeps them (its switch does not touch logins either)
$NIGHTLY "$N3" > /dev/null 2>&1
four_results "after the next nightly"

# purge: an old batch goes, a recent one stays
touch -d '31 days ago' "$SCRATCH/l1"
mkdir -p "$H/letters" && mv "$SCRATCH/l1" "$H/letters/old" && mv "$SCRATCH/l2" "$H/letters/new"
"$CZ" credentials purge > /dev/null 2>&1
ok "credentials purge removes batches older than 30 days, keeps newer" sh -c "
   test ! -e '$H/letters/old' && test -f '$H/letters/new/credentials.csv'"
"$CZ" credentials purge --older-than 0 > /dev/null 2>&1
ok "... --older-than 0 removes every batch" test ! -e "$H/letters/new"
done_testing
