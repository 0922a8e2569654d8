#!/bin/sh
# t0430-publish.sh — czynsze publish to a local folder with rsync: the
# web server gets the site generations and the switched symlink, and
# nothing else of the data home (database, exports, log, status).
. "$(dirname "$0")/lib.sh"
plan 13
H=$CZYNSZE_HOME
WEB=$SCRATCH/web
NIGHTLY="$CZ nightly --settle-ms 1 --templates $TOP/site-templates"
command -v rsync > /dev/null || { echo "Bail out! rsync is missing: run make deps"; exit 1; }

$NIGHTLY "$FIX/ksm-20211228" && "$CZ" publish --to "$WEB" > "$SCRATCH/out" 2>&1
is "$?" 0 "publish to a folder succeeds"
is "$(readlink "$WEB/site")" "sites/20211228T020013" "the web server's site points to the live generation"
ok "the published tree equals the live one" diff -r "$H/site/" "$WEB/site/"
is "$(ls -A "$WEB")" "$(printf 'access\naccess.d\nsite\nsites')" "nothing but the site generations and the logins (no database, keys, exports, log)"
ok "... the live logins beside the generations, the same as at home" \
   sh -c "test -d '$WEB/site/www' && [ \"\$(readlink '$WEB/access')\" = \"\$(readlink '$H/access')\" ] && diff -r '$H/access/' '$WEB/access/'"

$NIGHTLY --keep 1 "$FIX/ksm-20211229" && "$CZ" publish --to "$WEB" > "$SCRATCH/out" 2>&1
is "$?" 0 "publishing the next night succeeds"
is "$(readlink "$WEB/site")" "sites/20211229T020007" "... and switches the web server's site"
is "$(ls "$WEB/sites")" "20211229T020007" "generations removed here are removed there"
ok "... and the published tree equals the new live one" diff -r "$H/site/" "$WEB/site/"
ok "... whose pages say the second night's date" \
   grep -q "29.12.2021" "$WEB/site/www/index.html"
ok "the files are the same files' bytes, not only names (a page changed on the web side is put back)" sh -c "
   echo tampered > '$WEB/site/www/index.html' && '$CZ' publish --to '$WEB' > /dev/null 2>&1 &&
   cmp '$H/site/www/index.html' '$WEB/site/www/index.html'"
"$CZ" publish --to "host:/srv/it's" > "$SCRATCH/out" 2>&1
is "$?" 2 "a remote path with a quote is refused (usage)"
ok "... saying which characters a remote path may hold" \
   grep -qF "remote path may hold letters, digits and . _ - / only (/srv/it's)" "$SCRATCH/out"
done_testing
