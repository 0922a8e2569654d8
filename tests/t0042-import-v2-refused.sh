#!/bin/sh
# t0042-import-v2-refused.sh — what git cannot hold, made at run time: a
# symbolic link on a document's path (the file, a folder, dokumenty/
# itself) and a FIFO instead of a PDF are refused, naming the document;
# after each refusal, and after every broken v2 export of fixtures/broken,
# the live v2 database AND the document store are exactly as they were.
. "$(dirname "$0")/lib.sh"
plan 14
N30=$FIX/v2/ksm-20211230
N31=$FIX/v2/ksm-20211231
DB=$CZYNSZE_HOME/czynsze.db
STORE=$CZYNSZE_HOME/documents
ZAW=dokumenty/2021/ZAW-2021-000451.pdf

live() {
	sqlite3 "$DB" .dump | grep -v 'INSERT INTO import_run' | sha256sum
	(cd "$STORE" && find . -exec stat -c '%n %a %s' {} + | sort)
	(cd "$STORE" && find . -type f -exec sha256sum {} + | sort)
}
# refused NAME EXPORT MESSAGE: exit 1 with MESSAGE, the live state intact
refused() {
	timeout 60 "$CZ" import --force "$2" > "$SCRATCH/out" 2>&1
	rc=$?
	if [ $rc -eq 1 ] && grep -qF -- "$3" "$SCRATCH/out" && [ "$(live)" = "$before" ]; then
		echo "ok $((_n = _n + 1)) - $1"
	else
		echo "not ok $((_n = _n + 1)) - $1 (exit $rc)"
		sed 's/^/#   /' "$SCRATCH/out"
		_failed=$((_failed + 1))
	fi
}

# The second night is live, so that every case below (made from the
# first, with its own eksport.xml) is loaded (--force), not "unchanged".
ok "the second v2 night is live" "$CZ" import "$N31"
before=$(live)

cp -R "$N30" "$SCRATCH/link-file"
mv "$SCRATCH/link-file/$ZAW" "$SCRATCH/elsewhere.pdf"
ln -s "$SCRATCH/elsewhere.pdf" "$SCRATCH/link-file/$ZAW"
refused "a PDF that is a symbolic link (to the right bytes) is refused" "$SCRATCH/link-file" \
    "dokumenty.xml:3: document ZAW-2021-000451: file $ZAW: a symbolic link"

cp -R "$N30" "$SCRATCH/link-dir"
mv "$SCRATCH/link-dir/dokumenty/2021" "$SCRATCH/elsewhere-2021"
ln -s "$SCRATCH/elsewhere-2021" "$SCRATCH/link-dir/dokumenty/2021"
refused "a folder on the path that is a symbolic link is refused" "$SCRATCH/link-dir" \
    "dokumenty.xml:3: document ZAW-2021-000451: file $ZAW: a symbolic link or not a folder on the path"

cp -R "$N30" "$SCRATCH/link-top"
mv "$SCRATCH/link-top/dokumenty" "$SCRATCH/elsewhere-top"
ln -s "$SCRATCH/elsewhere-top" "$SCRATCH/link-top/dokumenty"
refused "dokumenty/ itself a symbolic link is refused" "$SCRATCH/link-top" \
    "file $ZAW: a symbolic link or not a folder on the path"

cp -R "$N30" "$SCRATCH/fifo"
rm "$SCRATCH/fifo/$ZAW" && mkfifo "$SCRATCH/fifo/$ZAW"
refused "a FIFO instead of a PDF is refused without hanging" "$SCRATCH/fifo" \
    "file $ZAW: not a regular file"

cp -R "$N30" "$SCRATCH/orphan"
mkdir "$SCRATCH/orphan-dokumenty" && cp -R "$N30/dokumenty" "$SCRATCH/orphan-dokumenty/"
rm "$SCRATCH/orphan/dokumenty.xml"
python3 "$FIX/tools/manifest.py" "$SCRATCH/orphan" > /dev/null
refused "dokumenty/ without a listed dokumenty.xml is a broken transfer" "$SCRATCH/orphan" \
    "dokumenty/: present but dokumenty.xml not listed"

sed 's/ format="2"//' "$N30/eksport.xml" > "$SCRATCH/v1man.xml"
cp -R "$N30" "$SCRATCH/v1man" && cp "$SCRATCH/v1man.xml" "$SCRATCH/v1man/eksport.xml"
refused "format 2 files in a manifest without format=\"2\" are refused" "$SCRATCH/v1man" \
    "eksport.xml: file odczyty.csv listed, but the manifest is not format=\"2\""

cp -R "$N30" "$SCRATCH/no-title"
sed -i 's|<tytul>Pismo w sprawie wymiany wodomierza</tytul>|<tytul>  </tytul>|' "$SCRATCH/no-title/dokumenty.xml"
python3 "$FIX/tools/manifest.py" "$SCRATCH/no-title" > /dev/null
refused "an empty title is refused once, naming the document" "$SCRATCH/no-title" \
    "dokumenty.xml:9: document INF-2021-0007: element tytul: empty"
ok "... and only once (no second error about a missing title)" sh -c "[ \$(grep -c INF-2021-0007 '$SCRATCH/out') = 1 ]"

: > "$SCRATCH/fail"
for d in "$FIX"/broken/*-v2-*/; do
	"$CZ" import --force "$d" > /dev/null 2>&1 && echo "$d imported" >> "$SCRATCH/fail"
	[ "$(live)" = "$before" ] || echo "$(basename "$d") changed the live state" >> "$SCRATCH/fail"
done
ok "after every broken v2 export the live database and the store are as they were" \
    sh -c "[ ! -s '$SCRATCH/fail' ] || { cat '$SCRATCH/fail'; exit 1; }"
is "$(ls -d "$FIX"/broken/*-v2-*/ | wc -l)" 14 "... (all 14 of them)"

# A failed load leaves nothing in the store: the first night's PDF that
# the live night does not have (UPO-2021-000950) is checked and stored,
# then a later <dokument> (moved to the end) names an unknown person.
cp -R "$N30" "$SCRATCH/late-error"
sed -i 's/osoba="O0001"/osoba="O9999"/' "$SCRATCH/late-error/dokumenty.xml"
python3 - "$SCRATCH/late-error/dokumenty.xml" <<'PY'
import sys
p = sys.argv[1]
d = open(p, "rb").read()
# the person document (INF, bad owner now) moves after UPO's
start = d.index(b'  <dokument id="INF-2021-0007"')
end = d.index(b"</dokument>", start) + len(b"</dokument>\r\n")
doc = d[start:end]
d = d[:start] + d[end:]
at = d.index(b"</dokumenty>")
open(p, "wb").write(d[:at] + doc + d[at:])
PY
python3 "$FIX/tools/manifest.py" "$SCRATCH/late-error" > /dev/null
"$CZ" import --force "$SCRATCH/late-error" > "$SCRATCH/out" 2>&1
is "$?" 1 "a night whose last document names an unknown person is refused"
is "$(live)" "$before" "... and the PDFs it stored before are not left in the store"
new=$(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' \
    "$SCRATCH/late-error/dokumenty/2021/UPO-2021-000950.pdf")
ok "... (it is not there)" test ! -e "$STORE/$(echo "$new" | cut -c1-2)/$new.pdf"
done_testing
