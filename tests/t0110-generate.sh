#!/bin/sh
# t0110-generate.sh — czynsze generate on the first night: the statement
# fragments say the right things (balance in words, ledger and running
# balance, a month's components, the QR payload, hostile text escaped),
# the public pages carry the cooperative's details and only the
# announcements in force, a second run changes no byte, no inline script
# or style anywhere.
. "$(dirname "$0")/lib.sh"
plan 40
N1=$FIX/ksm-20211228
OUT=$CZYNSZE_HOME/site-build
R=$CZYNSZE_HOME/print/r     # --plain: the printable statements, in clear
NB=$(printf '\302\240')        # no-break space (thousands, before "zł")

"$CZ" import "$N1" > /dev/null 2>&1
ok "generate --plain succeeds" "$CZ" generate --plain --templates "$TOP/site-templates"
ok "generate succeeds" "$CZ" generate --templates "$TOP/site-templates"

is "$(ls "$R" | tr '\n' ' ')" "O0001 O0002 O0003 O0004 O0005 O0006 " \
   "one folder per person holding a card"
F1=$R/O0001/statement.html
ok "amount due in words (O0001)" grep -qF "<strong>Do zapłaty: 934,82${NB}zł</strong>" "$F1"
ok "overpayment in words (O0003)" grep -qF "<strong>Nadpłata: 40,11${NB}zł</strong>" "$R/O0003/statement.html"
ok "zero balance in words (O0006)" grep -qF "<strong>Rozliczone</strong>" "$R/O0006/statement.html"
ok "thousands with a no-break space (O0005)" \
   grep -qF "Do zapłaty: 1${NB}486,59${NB}zł" "$R/O0005/statement.html"
ok "balance date" grep -qF "(stan na dzień 28.12.2021)" "$F1"
ok "bank account in groups" grep -qF '<span class="nrb">59 1240 1372 0000 0000 0000 0451</span>' "$F1"
ok "data timestamp" grep -qF "Dane według stanu na 28.12.2021, 02:00" "$F1"
ok "premises in words" sh -c "grep -qF '<dd>spółdzielcze własnościowe prawo do lokalu</dd>' '$F1' &&
   grep -qF '<dd>48,30${NB}m²</dd>' '$F1' && grep -qF '<dd>lokal mieszkalny</dd>' '$F1'"
ok "garage kind in words (O0002)" grep -qF "<dd>garaż</dd>" "$R/O0002/statement.html"
ok "card without premises shows the subscriber's address (O0004)" \
   sh -c "grep -qF 'Adres abonenta' '$R/O0004/statement.html' &&
   grep -qF 'ul. Świętokrzyska 9, 26-220 Stąporków' '$R/O0004/statement.html'"

# ledger: newest first, doc type in words, running balance
ok "ledger row with running balance" grep -qF \
   "<th scope=\"row\">22.11.2021</th><td>11.2021</td><td>Wpłata</td><td>WB/2021/11/122</td>" "$F1"
ok "... Ma and balance after it" grep -qF \
   "<td></td><td>500,00${NB}zł</td><td class=\"owes\">461,20${NB}zł do zapłaty</td>" "$F1"
first_row=$(grep -o '<tbody><tr data-debit[^>]*><th scope="row">[0-9.]*</th>' "$F1" | head -1 | sed 's/<tr [^>]*>/<tr>/')
is "$first_row" '<tbody><tr><th scope="row">01.12.2021</th>' "newest entry first"
ok "year totals charged / paid" grep -qF \
   "Razem w roku 2021</th><td>1${NB}904,17${NB}zł</td><td>969,35${NB}zł</td>" "$F1"
ok "every document type in words" sh -c "cat '$R'/*/statement.html > '$SCRATCH/all' &&
   for w in Naliczenie Wpłata Korekta Odsetki 'Bilans otwarcia' Rozliczenie 'Zwrot nadpłaty'; do
   grep -qF \"<td>\$w</td>\" '$SCRATCH/all' || { echo \"missing \$w\"; exit 1; }; done"

# components of November 2021 on K000451
sed -n 's/.*\(<section class="month" data-period="2021-11" data-until="2021-11">.*\)/\1/p' "$F1" | sed 's|</section>.*||' > "$SCRATCH/nov"
ok "components of 11.2021: hot water marked new" grep -qF \
   "<th scope=\"row\">Podgrzanie wody</th><td>zużycie wody</td><td>12,125${NB}m³</td><td>14,80${NB}zł/m³</td>" "$SCRATCH/nov"
ok "... in text, not colour only" grep -qF '<td>nowy składnik</td>' "$SCRATCH/nov"
ok "... and the month's total" grep -qF "Razem za listopad 2021</th><td>648,80${NB}zł</td>" "$SCRATCH/nov"
# months in a row charged the same share one table (O0002's flat: October
# and November), and the picker still offers each month
F2=$R/O0002/statement.html
ok "equal months share one table" grep -qF \
   '<section class="month" data-period="2021-10" data-until="2021-11"><div class="table-wrap" role="region" aria-label="Składniki opłat — październik 2021 – listopad 2021"' "$F2"
ok "... whose total is per month" sh -c "sed -n 's/.*data-until=\"2021-11\">//p' '$F2' | sed 's|</section>.*||' | grep -qF 'Razem za każdy miesiąc</th>'"
is "$(grep -o '<section class="month"[^>]*>' "$F2" | head -2 | tr -d '\n')" \
   '<section class="month" data-period="2021-12" data-until="2021-12"><section class="month" data-period="2021-10" data-until="2021-11">' \
   "... a changed month starts a new table"
ok "... each month still in the picker" grep -qF \
   '<option value="2021-12">grudzień 2021</option><option value="2021-11">listopad 2021</option><option value="2021-10">październik 2021</option></select>' "$F2"
ok "month picker lists the months, newest first" grep -qF \
   '<option value="2021-12">grudzień 2021</option><option value="2021-11">listopad 2021</option>' "$F1"

# QR payment code
ok "QR payload (ZBP 2D) for the arrears" grep -qF \
   'data-qr-payload="6581234569|PL|59124013720000000000000451|093482|Konecka Spółdzielnia|Opłaty, kartoteka K000451|||"' "$F1"
ok "no QR code where nothing is owed" sh -c "! grep -q qr-pay '$R/O0003/statement.html' &&
   ! grep -q qr-pay '$R/O0006/statement.html'"

# escaping
ok "hostile description escaped" grep -qF \
   '&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;cudzysłów&quot;' "$F1"
ok "no raw <script in any statement (only the page's own js/ files)" \
   sh -c "! grep -rhoi '<script[^>]*>' '$R' | grep -v '<script type=\"module\" src=\"../../js/[a-z]*\.js\">'"

# public pages
ok "public pages and assets present" sh -c "cd '$OUT' && for f in index.html regulamin.html rodo.html \
   dostepnosc.html dostep.html komunikaty.html css/site.css js/app.js js/login.js; do
   test -s \$f || { echo \"missing \$f\"; exit 1; }; done"
ok "RODO clause names the cooperative, address and NIP" sh -c "grep -qF 'Konecka Spółdzielnia Mieszkaniowa w Końskich, ul. Przykładowa 1' '$OUT/rodo.html' &&
   grep -qF '26-200 Końskie, NIP 6581234569' '$OUT/rodo.html'"
ok "how to get access: room 8 with an ID document" sh -c "grep -qF 'pokój nr 8' '$OUT/dostep.html' &&
   grep -qF 'dokumentem' '$OUT/dostep.html'"
ok "announcements in force only" sh -c "grep -qF 'Uwaga na czad' '$OUT/index.html' &&
   grep -qF 'Godziny pracy biura &amp; kasy &lt;Spółdzielni&gt;' '$OUT/index.html' &&
   ! grep -qF 'Przerwa w dostawie wody' '$OUT/index.html' '$OUT/komunikaty.html'"
ok "login page contract (ids for login.js)" sh -c "f='$OUT/index.html';
   grep -qF '<form id=\"login-form\"' \$f && grep -qF 'id=\"login\" name=\"login\" type=\"text\" autocomplete=\"username\"' \$f &&
   grep -qF 'id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\"' \$f &&
   grep -qF 'id=\"stay\" name=\"stay\" type=\"checkbox\"' \$f && grep -qF '<button type=\"submit\">' \$f &&
   grep -qF '<div id=\"login-error\" role=\"alert\"></div>' \$f &&
   grep -qF '<div id=\"statement-root\" hidden></div>' \$f &&
   grep -qF '<button type=\"button\" id=\"logout\" hidden>' \$f &&
   grep -qF '<script type=\"module\" src=\"js/login.js\"></script>' \$f"
ok "lang=pl, no style attribute, no inline script or style" sh -c "cd '$OUT' &&
   for f in *.html r/*/*.html; do grep -q '<html lang=\"pl\">' \$f || case \$f in r/*) ;; *) echo \"no lang: \$f\"; exit 1;; esac; done &&
   ! grep -rn 'style=' . && ! grep -rn '<style' . &&
   ! grep -rhon --include='*.html' '<script[^>]*>' . |
     grep -v -e '<script src=\"[^\"]*\" defer>' -e '<script type=\"module\" src=\"[^\"]*\">'"

# determinism and no rewrites
sum1=$(cd "$OUT" && find . -type f -exec sha256sum {} + | sort)
"$CZ" generate -v --templates "$TOP/site-templates" > "$SCRATCH/second" 2>&1
ok "a second run writes no file" grep -qF "0 files written, " "$SCRATCH/second"
is "$(cd "$OUT" && find . -type f -exec sha256sum {} + | sort)" "$sum1" "... and changes no byte"
"$CZ" generate --templates "$TOP/site-templates" --out "$SCRATCH/other" > /dev/null 2>&1
ok "a fresh folder gets identical files" diff -r "$OUT" "$SCRATCH/other"

# --plain: the printable page; stale folders removed
mkdir -p "$R/GONE" && : > "$R/GONE/statement.html"
"$CZ" generate --plain --templates "$TOP/site-templates" > /dev/null 2>&1
ok "--plain writes the printable page, stale folders go" sh -c "grep -qF '<h1>Zestawienie opłat</h1>' '$R/O0001/statement.html' &&
   grep -qF 'Do zapłaty: 934,82${NB}zł' '$R/O0001/statement.html' &&
   grep -qF 'href=\"../../css/site.css\"' '$R/O0001/statement.html' && test ! -e '$R/GONE'"
done_testing
