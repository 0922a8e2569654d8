#!/bin/sh
# t0232-home-modes.sh — after nightly, credentials issue and reset,
# generate --plain and audit snapshot, run under the usual umask 022, no
# path in the data home has a group or other permission bit except what
# the web server must read (docs/security.md, "Modes"): the generations'
# www/ and the live access folder.  Personal data in clear (czynsze.db,
# keys.db, snapshots.git, print/, exports/, letters, logs, the document
# store documents/) is owner-only.
. "$(dirname "$0")/lib.sh"
plan 9
H=$CZYNSZE_HOME
umask 022
NIGHTLY="$CZ nightly --settle-ms 0 --templates $TOP/site-templates"

$NIGHTLY "$FIX/ksm-20211228" > /dev/null 2>&1
"$CZ" credentials issue --site-url https://e.example.pl/ > /dev/null 2>&1
$NIGHTLY "$FIX/ksm-20211229" > /dev/null 2>&1
$NIGHTLY "$FIX/v2/ksm-20211230" > /dev/null 2>&1
"$CZ" credentials reset O0001 --site-url https://e.example.pl/ > /dev/null 2>&1
"$CZ" generate --plain > /dev/null 2>&1
"$CZ" audit snapshot > /dev/null 2>&1 || true
ok "the run made a site, letters, printable statements and exports" sh -c "
   test -f '$H/site/www/index.html' && ls '$H'/letters/*/credentials.csv > /dev/null &&
   test -d '$H/print' && ls '$H/exports' | grep -q ksm && test -f '$H/keys.db'"

# What the web server reads: the generations (sites/, sites/NAME/, www/
# and below) and the access folder (access.d/, access.d/N/, auth/ and
# htpasswd.d/ with their files).  Everything else: no group/other bits.
# (czynsze.conf is the operator's, put there by tests/lib.sh, not by czynsze)
(cd "$H" && find . -mindepth 1 ! -type l ! -path ./czynsze.conf -perm /077 | sort) > "$SCRATCH/open"
grep -v -E '^\./sites$|^\./sites/[^/.][^/]*$|^\./sites/[^/.][^/]*/www(/.*)?$|^\./access\.d$|^\./access\.d/[0-9]+(/auth(/[0-9a-f]{2}\.json)?|/htpasswd\.d(/[a-z0-9_]+)?)?$' \
    "$SCRATCH/open" > "$SCRATCH/unexpected"
ok "nothing else has group or other permission bits" sh -c "! test -s '$SCRATCH/unexpected' || { cat '$SCRATCH/unexpected'; false; }"
is "$(stat -c %a "$H/keys.db" "$H/czynsze.db" "$H/print" "$H/exports" "$H/letters" | sort -u | tr '\n' ' ')" "600 700 " \
   "keys.db, czynsze.db 0600; print/, exports/, letters/ 0700"
ok "the document store holds the PDFs, owner-only (folders 0700, files 0600)" sh -c "
   test \"\$(find '$H/documents' -type f | wc -l)\" -eq 5 &&
   test -z \"\$(find '$H/documents' -type d ! -perm 0700)\" &&
   test -z \"\$(find '$H/documents' -type f ! -perm 0600)\""
ok "the printable statements are owner-only" sh -c "
   test -n \"\$(find '$H/print' -type f)\" && test -z \"\$(find '$H/print' -perm /077)\""
ok "snapshots.git, if any, is owner-only" sh -c "
   ! test -d '$H/snapshots.git' || test -z \"\$(find '$H/snapshots.git' -perm /077)\""
ok "the site is readable by the web server (folders 0755, files 0644)" sh -c "
   test -z \"\$(find '$H/site/www/' -type d ! -perm 0755)\" &&
   test -z \"\$(find '$H/site/www/' -type f ! -perm 0644)\""
ok "the access folder: auth/ 0755 with 0644 files, htpasswd.d/ 0750 with 0640 files" sh -c "
   [ \"\$(stat -c %a '$H/access/auth/' '$H/access/htpasswd.d/')\" = \"\$(printf '755\n750')\" ] &&
   test -z \"\$(find '$H/access/auth/' -type f ! -perm 0644)\" &&
   test -z \"\$(find '$H/access/htpasswd.d/' -type f ! -perm 0640)\""
# the documented way to let www-data read htpasswd: group + setgid on access.d
chgrp -R nogroup "$H/access.d" && chmod 2755 "$H/access.d"
"$CZ" credentials reset O0002 --site-url https://e.example.pl/ > /dev/null 2>&1
ok "with access.d group-owned and setgid, a new access folder keeps the group (htpasswd readable by it)" sh -c "
   [ \"\$(stat -c %G '$H/access/htpasswd.d' '$H/access/htpasswd.d/_' | sort -u)\" = nogroup ] &&
   [ \"\$(stat -c %a '$H/access.d')\" = 2755 ] && [ \"\$(stat -c %a '$H/access/htpasswd.d')\" = 2750 ]"
done_testing
