/*
 * ledger-csv.js — a card's ledger as a CSV file for a spreadsheet (pure
 * functions, no page access; app.js reads the rows from the decrypted
 * statement and offers the file for download).
 *
 * The file: UTF-8 with a byte order mark (so that a spreadsheet opened by
 * double click reads Polish letters), fields separated by ';', amounts
 * with a decimal comma and no thousands separator, CRLF line ends.  A
 * header line, the opening balance (before the first booking chosen),
 * one line per booking, the totals and the closing balance.  Amounts are
 * grosze as BigInt: no floating point near money.
 */

export const CSV_COLUMNS = ['Data', 'Za miesiąc', 'Operacja', 'Numer dokumentu', 'Opis',
	'Naliczono', 'Wpłacono', 'Saldo po operacji (plus: do zapłaty, minus: nadpłata)'];

// "1126,75", "-141,34", "0,00" from grosze (BigInt).
export function money(gr) {
	const neg = gr < 0n;
	const a = neg ? -gr : gr;
	const frac = String(a % 100n).padStart(2, '0');
	return `${neg ? '-' : ''}${a / 100n},${frac}`;
}

// One field, quoted when it holds ';', '"' or a line break.  A leading
// = + - @ (a formula to a spreadsheet) is neutralised with an apostrophe,
// except in amounts, which are written by money().
function field(v) {
	let s = String(v ?? '');
	if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (fields, amounts = 0) => fields.map((f, i) =>
	i >= fields.length - amounts ? f : field(f)).join(';');

/*
 * rows: [{ date, period, kind, docNo, description, debit, credit, balance }]
 * oldest first (amounts BigInt); opening: the balance before the first
 * row (BigInt); title: the first line ("Jan Nowak, Mieszkanie nr 1 — opłaty,
 * Kartoteka K000001, rok 2021").  Returns the file's text, BOM included.
 */
export function ledgerCsv(rows, opening, title) {
	let debit = 0n, credit = 0n;
	const out = [field(title), line(CSV_COLUMNS)];
	out.push(line(['', '', 'Saldo początkowe', '', '', '', '', money(opening)], 1));
	for (const r of rows) {
		debit += r.debit;
		credit += r.credit;
		out.push(line([r.date, r.period, r.kind, r.docNo, r.description,
			money(r.debit), money(r.credit), money(r.balance)], 3));
	}
	out.push(line(['', '', 'Razem', '', '', money(debit), money(credit), ''], 3));
	out.push(line(['', '', 'Saldo końcowe', '', '', '', '',
		money(opening + debit - credit)], 1));
	return '\uFEFF' + out.join('\r\n') + '\r\n';
}
