// export-ledger.test.mjs — the ledger to take home, built in the browser
// from the decrypted statement: "Pobierz obroty (CSV)" gives a file that
// parses (UTF-8 with BOM, ';', decimal comma) and whose rows and totals
// are the statement's; "Drukuj / zapisz PDF" prints one card, its chosen
// year on A4 without clipped columns, the name and card on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, open, login, who, plain } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// RFC 4180 with ';': quoted fields may hold ';', '""' and line breaks.
function parseCsv(text) {
	const rows = [];
	let row = [], f = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (q) {
			if (c === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (c === '"') q = false; else f += c;
		} else if (c === '"') q = true;
		else if (c === ';') { row.push(f); f = ''; } else if (c === '\r' && text[i + 1] === '\n') {
			row.push(f); rows.push(row); row = []; f = ''; i++;
		} else f += c;
	}
	assert.equal(f + row.join(''), '', 'the file ends with a line end');
	return rows;
}

// "1 904,17 zł" (no-break spaces) → "1904,17"
const amount = (s) => plain(s).replace(/ zł$/, '').replace(/ /g, '');

test('CSV: the chosen year of a card, every booking, opening balance and totals equal to the statement', async () => {
	const { context, page } = await open(browser, { acceptDownloads: true });
	assert.equal(await login(page, who('O0001')), 'statement');
	const card = page.locator('#statement-root #k1');
	await card.locator('select.year-picker').selectOption('2021');
	const [download] = await Promise.all([page.waitForEvent('download'),
		card.locator('button.csv-button').click()]);
	assert.equal(download.suggestedFilename(), 'obroty-KartotekaK000451-2021.csv');
	const bytes = await readFile(await download.path());
	assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
	const rows = parseCsv(bytes.toString('utf8').slice(1));
	assert.match(rows[0][0], /^Anna Kowalska, Mieszkanie nr 45 — opłaty, Kartoteka K000451, rok 2021$/);
	assert.deepEqual(rows[1].slice(0, 3), ['Data', 'Za miesiąc', 'Operacja']);
	assert.ok(rows.every((r, i) => i === 0 || r.length === 8), 'eight fields on every line');
	assert.deepEqual(rows[2], ['', '', 'Saldo początkowe', '', '', '', '', '0,00']);
	// the bookings: as many as the statement's rows of 2021, the same order
	// reversed (the page shows the newest first), the same amounts
	const trs = card.locator('.ledger-year[data-year="2021"] tbody tr');
	const shown = [];
	for (const tr of await trs.all()) shown.unshift((await tr.locator('th, td').allInnerTexts()).map(plain));
	const bookings = rows.slice(3, -2);
	assert.equal(bookings.length, shown.length);
	for (let i = 0; i < shown.length; i++) {
		const [date, period, kind, docNo, , debit, credit] = shown[i];
		assert.deepEqual(bookings[i].slice(0, 4), [date, period, kind, docNo], `row ${i}`);
		assert.equal(bookings[i][5], debit.startsWith('korekta w dół: ') ? '-' + amount(debit.slice(15)) :
			debit === '' ? '0,00' : amount(debit), `row ${i} charged`);
		assert.equal(bookings[i][6], credit === '' ? '0,00' : amount(credit), `row ${i} paid`);
	}
	assert.ok(bookings.some((r) => r[4] === '<script>alert(1)</script> & "cudzysłów"'), 'hostile text kept as text');
	const totals = (await card.locator('.ledger-year[data-year="2021"] tfoot td').allInnerTexts()).map(amount);
	assert.deepEqual(rows.at(-2).slice(2, 7), ['Razem', '', '', totals[0], totals[1]]);
	assert.deepEqual(rows.at(-1), ['', '', 'Saldo końcowe', '', '', '', '', '934,82'], 'the card\'s balance');
	assert.equal(bookings.at(-1)[7], '934,82', 'the last running balance');
	await context.close();
});

test('print: one card, its year on A4, no clipped column, name and card on every page', async () => {
	const { context, page } = await open(browser);
	assert.equal(await login(page, who('O0001')), 'statement');
	await page.evaluate(() => { window.print = () => { window.__printed = true; }; });
	const card = page.locator('#statement-root #k1');
	await card.locator('select.year-picker').selectOption('2021');
	await card.locator('button.print-card-button').click();
	assert.equal(await page.evaluate(() => window.__printed), true);
	assert.ok(await page.evaluate(() => document.body.classList.contains('print-one')));
	const pageRule = await page.evaluate(() => [...document.styleSheets].flatMap((s) => [...s.cssRules])
		.map((r) => r.cssText).filter((t) => t.startsWith('@page') && t.includes('K000451')));
	assert.equal(pageRule.length, 1, 'the name and card at the top of every page');
	assert.ok(pageRule[0].includes('Anna Kowalska'), pageRule[0]);
	// A4 at 96 dpi less the page's margins: 210 mm - 2 x 12 mm = 703 px.
	await page.setViewportSize({ width: 703, height: 1000 });
	await page.emulateMedia({ media: 'print' });
	const m = await page.evaluate(() => {
		const wraps = [...document.querySelectorAll('#k1 .ledger-year:not([hidden]) .table-wrap')];
		const other = [...document.querySelectorAll('#statement-root .card:not(#k1)')]
			.filter((c) => c.getClientRects().length > 0).length;
		return {
			n: wraps.length, other,
			clipped: wraps.filter((w) => w.scrollWidth > w.clientWidth + 1 ||
				w.querySelector('table').getBoundingClientRect().right > 703.5).length,
			cells: [...document.querySelectorAll('#k1 .ledger-year:not([hidden]) td')]
				.filter((td) => td.getBoundingClientRect().right > 703.5).length,
		};
	});
	assert.deepEqual(m, { n: 1, other: 0, clipped: 0, cells: 0 });
	const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
	assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
	const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
	assert.ok(pages >= 1 && pages <= 3, `one year of one card on a few A4 pages (${pages})`);
	await context.close();
});
