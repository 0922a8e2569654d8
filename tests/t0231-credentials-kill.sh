#!/bin/sh
# t0231-credentials-kill.sh — SIGKILL in the middle of a reset or a revoke
# (CZYNSZE_TEST_KILL_AT, access_live.h), at every step: through real nginx,
# right after the kill and again after the next command took the lock,
# either the old or the new credentials are fully in force, never both,
# never neither; the next command finishes (committed) or undoes (not
# committed) the change and leaves no stray bundle, marker or letters.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/nginx-lib.sh"
trap 'nginx_stop; rm -rf "$SCRATCH"' EXIT
RESET_POINTS="reset-before-rekey reset-before-letters reset-before-commit reset-before-switch access-before-switch access-before-drop"
plan 32
H=$CZYNSZE_HOME
URL=https://e.example.pl/
NIGHTLY="$CZ nightly --settle-ms 0 --templates $TOP/site-templates"

nginx_need
$NIGHTLY "$FIX/ksm-20211228" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/l1" --site-url "$URL" > /dev/null 2>&1
$NIGHTLY "$FIX/ksm-20211229" > /dev/null 2>&1
row() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$3"; }
LC=$(row O0003 6 "$SCRATCH/l1/credentials.csv"); PC=$(row O0003 7 "$SCRATCH/l1/credentials.csv")
LD=$(row O0004 6 "$SCRATCH/l1/credentials.csv"); PD=$(row O0004 7 "$SCRATCH/l1/credentials.csv")
PORT=$(free_port)
"$CZ" nginx-conf --listen "127.0.0.1:$PORT" --server-name localhost --access-log "$SCRATCH/access.log" > "$SCRATCH/czynsze.conf"
ok "nginx starts" nginx_start "$SCRATCH/nginx" "$SCRATCH/czynsze.conf"
B=http://127.0.0.1:$PORT

token() { python3 "$TOP/tests/czynsze-token.py" "$H/access" "$1" "$2"; }
stem() {
	python3 - "$H/access" "$1" <<'PYTHON'
import hashlib, json, sys
h = hashlib.sha256(sys.argv[2].encode()).hexdigest()
e = json.load(open(f"{sys.argv[1]}/auth/{h[:2]}.json")).get(h, {})
print(sys.argv[2] + (f".{e['v']}" if e.get("v", 1) > 1 else ""))
PYTHON
}
# opens LOGIN PASSWORD: salt shard -> token -> 200 through nginx -> opens
opens() {
	[ -n "$2" ] && _t=$(token "$1" "$2") && _s=$(stem "$1") &&
	[ "$(curl -s -o "$SCRATCH/got.bin" -w '%{http_code}' -u "$1:$_t" "$B/r/$_s.bin")" = 200 ] &&
	python3 "$TOP/tests/czynsze-open.py" "$SCRATCH/got.bin" "$1" --password "$2" > /dev/null 2>&1
}
# which LOGIN OLD NEW: "old", "new", "both" or "neither"
which() {
	_o=0 _n=0
	opens "$1" "$2" && _o=1
	opens "$1" "$3" && _n=1
	case $_o$_n in 10) echo old ;; 01) echo new ;; 11) echo both ;; *) echo neither ;; esac
}
# clean LOGIN: every generation holds at most one bundle of LOGIN, no marker
clean() {
	test ! -e "$H/credentials.pending" || return 1
	for g in "$H"/sites/*/www/r; do
		[ "$(ls "$g" | grep -c "^$1\.")" -le 1 ] || return 1
	done
	[ "$(ls "$H/access.d" | wc -l)" -eq 1 ]
}

clean_after() { clean "$1" && { [ "$2" = new ] || test ! -e "$3"; }; }

ok "before: C's password opens C's statement" opens "$LC" "$PC"
r=0
for point in $RESET_POINTS; do
	r=$((r + 1))
	L=$SCRATCH/k$r
	CZYNSZE_TEST_KILL_AT=$point "$CZ" credentials reset O0003 --letters "$L" --site-url "$URL" > /dev/null 2>&1
	rc=$?
	new=$(row O0003 7 "$L/credentials.csv" 2>/dev/null)
	case $point in
	reset-before-rekey|reset-before-letters|reset-before-commit) want=old ;;
	*) want=new ;;
	esac
	is "$rc" 137 "$point: killed by SIGKILL"
	now=$(which "$LC" "$PC" "$new")
	ok "$point: right after the kill, the old or the new credentials, fully ($now)" \
	   sh -c "[ '$now' = old ] || [ '$now' = new ]"
	"$CZ" credentials list > /dev/null 2>&1
	is "$(which "$LC" "$PC" "$new")" "$want" "$point: after the next command, the $want credentials"
	ok "$point: ... no stray bundle, marker or access folder; letters of a dead password gone" \
	   clean_after "$LC" "$want" "$L"
	[ "$want" = new ] && PC=$new
done

# revoke, killed before and after its commit
CZYNSZE_TEST_KILL_AT=revoke-before-commit "$CZ" credentials revoke O0004 > /dev/null 2>&1
is "$?" 137 "revoke-before-commit: killed"
"$CZ" credentials list > /dev/null 2>&1
ok "revoke-before-commit: D still opens (nothing happened)" opens "$LD" "$PD"
CZYNSZE_TEST_KILL_AT=revoke-before-switch "$CZ" credentials revoke O0004 > /dev/null 2>&1
is "$?" 137 "revoke-before-switch: killed"
ok "revoke-before-switch: right after the kill D still opens (old credentials, fully)" opens "$LD" "$PD"
"$CZ" credentials list > /dev/null 2>&1
ok "... after the next command D opens nothing and has no bundle anywhere" sh -c "
   ! ls '$H'/sites/*/www/r/ | grep -q '^$LD' && test ! -e '$H/credentials.pending'"
is "$(curl -s -o /dev/null -w '%{http_code}' -u "$LD:$(token "$LD" "$PD" 2>/dev/null || echo x)" "$B/r/$LD.bin")" 401 \
   "... its token gets 401"
done_testing
