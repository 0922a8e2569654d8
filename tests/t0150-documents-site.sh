#!/bin/sh
# t0150-documents-site.sh — generate on the v2 fixture: every personal
# document sealed for each resident who may see it (a premises document
# once per holder), as r/LOGIN.dTOKEN.bin, opening with that resident's
# password only, to the export's very bytes; listed in the statement; no
# PDF or marker in clear anywhere under the site; not sealed again on the
# next run; removed with the document.
. "$(dirname "$0")/lib.sh"
plan 18
OUT=$CZYNSZE_HOME/site-build
V2=$FIX/v2/ksm-20211231
csv() { awk -F';' -v id="$1" -v col="$2" '$1 == id { print $col }' "$SCRATCH/l/credentials.csv"; }
# token ID SHA256: the document's name token (generator/docseal.h)
token() { python3 -c "import hashlib,sys; print(hashlib.sha256(b'czynsze v1 document\0' + sys.argv[1].encode() + b'\0' + sys.argv[2].encode()).hexdigest()[:32])" "$1" "$2"; }
docfile() {     # PERSON DOC_ID: the path of that person's sealed copy
	sha=$(sqlite3 "$CZYNSZE_HOME/czynsze.db" "SELECT sha256 FROM document WHERE id = '$2'")
	echo "$OUT/r/$(csv "$1" 6).d$(token "$2" "$sha").bin"
}
opened() {      # PERSON DOC_ID PASSWORD_OF: the PDF as PASSWORD_OF's password opens it
	python3 "$TOP/tests/czynsze-open.py" "$OUT/r/$(csv "$1" 6).bin" "$(csv "$1" 6)" \
	    --password "$(csv "$3" 7)" --document "$(docfile "$1" "$2")"
}

"$CZ" import "$V2" > /dev/null 2>&1
"$CZ" credentials issue --letters "$SCRATCH/l" --site-url https://e.example.pl/ > /dev/null 2>&1
ok "generate seals the statements and documents" "$CZ" generate --templates "$TOP/site-templates"

# who sees what, from the database (the view of schema/005)
sqlite3 "$CZYNSZE_HOME/czynsze.db" "SELECT person_id || ' ' || document_id FROM person_document ORDER BY 1" > "$SCRATCH/pairs"
is "$(wc -l < "$SCRATCH/pairs" | tr -d ' ')" 5 "the fixture's five person-document pairs (a premises document for two holders)"
expect=$(while read -r p d; do basename "$(docfile "$p" "$d")"; done < "$SCRATCH/pairs" | sort | tr '\n' ' ')
is "$(cd "$OUT/r" && ls | grep '\.d' | sort | tr '\n' ' ')" "$expect" "one sealed file per pair, named by login and token, nothing else"

opened O0001 ZAW-2021-000451 O0001 > "$SCRATCH/zaw.pdf"
ok "the holder's password opens their card's notice, the export's very bytes" cmp "$SCRATCH/zaw.pdf" "$V2/dokumenty/2021/ZAW-2021-000451.pdf"
opened O0003 ROZ-2021-B07-1-3 O0003 > "$SCRATCH/roz3.pdf"
opened O0006 ROZ-2021-B07-1-3 O0006 > "$SCRATCH/roz6.pdf"
ok "a premises document opens for each of its two holders" sh -c "
  cmp '$SCRATCH/roz3.pdf' '$V2/dokumenty/2021/ROZ-2021-B07-1-3.pdf' && cmp '$SCRATCH/roz6.pdf' '$V2/dokumenty/2021/ROZ-2021-B07-1-3.pdf'"
ok "... sealed separately (different bytes under each key)" sh -c "! cmp -s '$(docfile O0003 ROZ-2021-B07-1-3)' '$(docfile O0006 ROZ-2021-B07-1-3)'"
opened O0001 ZAW-2021-000451 O0003 > /dev/null 2>&1
is "$?" 1 "another resident's password does not open it"
python3 "$TOP/tests/czynsze-open.py" "$OUT/r/$(csv O0001 6).bin" "$(csv O0001 6)" --password "$(csv O0001 7)" > "$SCRATCH/frag"
ok "the statement lists the document with its name token and file name" grep -qF \
   "data-doc=\"$(basename "$(docfile O0001 ZAW-2021-000451)" | sed 's/.*\.d//; s/\.bin$//')\" data-doc-name=\"ZAW-2021-000451.pdf\"" "$SCRATCH/frag"
NB=$(printf '\302\240')
ok "... title, kind and size in words" grep -qF "Zawiadomienie o zmianie wysokości opłat od 01.2022</th><td>zawiadomienie o zmianie opłat</td><td>15.10.2021</td><td>1${NB}KB</td>" "$SCRATCH/frag"
ok "the statement bundle holds no PDF (it does not grow with the documents)" sh -c "! grep -qa '%PDF' '$SCRATCH/frag' && [ \$(stat -c %s '$OUT/r/$(csv O0001 6).bin') -lt 20000 ]"

# the plain-text scan: the markers every personal PDF carries, and PDFs at all
grep -rlaF "CZYNSZE-PRYWATNE-" "$OUT" > "$SCRATCH/hits"
ok "no personal PDF's marker in clear anywhere under the site" sh -c "[ ! -s '$SCRATCH/hits' ] || { cat '$SCRATCH/hits'; exit 1; }"
ok "... nor any PDF under r/" sh -c "! grep -rlaF '%PDF-' '$OUT/r'"
ok "... while the export's personal PDFs do carry it (the scan can find it)" grep -qaF "CZYNSZE-PRYWATNE-ZAW-2021-000451" "$V2/dokumenty/2021/ZAW-2021-000451.pdf"

# public documents: in clear, listed on dokumenty.html, without the marker
pub=$(ls "$OUT/dokumenty")
ok "the public document is copied in clear to dokumenty/, the export's bytes" sh -c "
   [ '$pub' = '63895ea0c288-statut.pdf' ] && cmp '$OUT/dokumenty/$pub' '$V2/dokumenty/ogolne/statut.pdf'"
ok "... listed on dokumenty.html with a link to it" grep -qF "<a href=\"dokumenty/$pub\" type=\"application/pdf\">Statut Spółdzielni</a>" "$OUT/dokumenty.html"
ok "... and no personal document is there" sh -c "! grep -qF 'Zawiadomienie' '$OUT/dokumenty.html'"

# the next run: nothing sealed again (same document, login and key version)
"$CZ" -v generate --templates "$TOP/site-templates" > "$SCRATCH/second" 2>&1
ok "a second run seals no document again" sh -c "grep -q '^generate: ' '$SCRATCH/second' && ! grep -q '^sealed ' '$SCRATCH/second'"

# a document gone from the database goes from the site
sqlite3 "$CZYNSZE_HOME/czynsze.db" "DELETE FROM document WHERE id = 'INF-2021-0007'"
gone=$(docfile O0001 INF-2021-0007)
"$CZ" generate --templates "$TOP/site-templates" > /dev/null 2>&1
ok "a removed document's file is removed" sh -c "[ ! -e '$gone' ] && [ -e '$(docfile O0001 ZAW-2021-000451)' ]"
done_testing
