// statement-summary.test.mjs — the summary at the top of each card, read as
// a resident reads it.  The site of t0500 is generated with due_day = 28
// and the export of 28.12.2021, so December's charge is due that very day
// and not yet late: one site shows a resident partly late (O0001), one
// overpaid (O0003), one settled (O0006) and one owing only the current
// month, not late (O0002's cable TV).  Amounts hand-checked against
// fixtures/README.md: K000451 owes 934,82, of which December's charge
// 469,35 is not yet due, so 465,47 is late.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, login, who, textOf } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const summary = (page, n) => textOf(page.locator(`#statement-root #k${n} .summary`));

test('in arrears: what is owed, what of it is late, the monthly charge and its due day', async () => {
	const { context, page } = await open(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
	assert.equal(await login(page, who('O0001')), 'statement');
	const s = await summary(page, 1);
	assert.ok(s.includes('Do zapłaty: 934,82 zł'), s);
	assert.ok(s.includes('w tym po terminie: 465,47 zł'), s);
	assert.ok(s.includes('Opłata miesięczna od 12.2021: 469,35 zł, płatna do 28. dnia miesiąca.'), s);
	assert.ok(!/Zaległość/.test(s), 'no "Zaległość" for what is not late');
	// QR code and the copy buttons under it
	const card = page.locator('#statement-root #k1');
	assert.match(await card.locator('.qr-pay').getAttribute('data-qr-payload'),
		/\|093482\|[^|]*\|Opłaty, kartoteka K000451\|/);
	const copy = card.locator('button.copy');
	assert.deepEqual(await copy.allInnerTexts(), ['Kopiuj numer rachunku', 'Kopiuj kwotę', 'Kopiuj tytuł przelewu']);
	await copy.nth(1).click();
	assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '934,82');
	await copy.nth(0).click();
	assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '59124013720000000000000451');
	// the running balance says what it means, never a bare minus
	const ledger = await textOf(card.locator('.ledger'));
	assert.ok(ledger.includes('461,20 zł do zapłaty'), 'running balance in words');
	assert.ok(!/[−-]\d/.test(ledger), 'no minus before an amount');
	await context.close();
});

test('overpaid: Nadpłata, and the running balance as nadpłaty without a minus', async () => {
	const { context, page } = await open(browser);
	assert.equal(await login(page, who('O0003')), 'statement');
	const s = await summary(page, 1);
	assert.ok(s.includes('Nadpłata: 40,11 zł'), s);
	assert.ok(s.includes('zaliczona na poczet kolejnych opłat'), s);
	assert.equal(await page.locator('#statement-root #k1 .qr-pay, #statement-root #k1 button.copy').count(), 0,
		'nothing to pay: no QR code, no copy buttons');
	const ledger = await textOf(page.locator('#statement-root #k1 .ledger'));
	assert.ok(ledger.includes('40,11 zł nadpłaty'), 'running balance in words');
	assert.ok(!/[−-]\d/.test(ledger), 'no minus before an amount');
	await context.close();
});

test('settled: Rozliczone', async () => {
	const { context, page } = await open(browser);
	assert.equal(await login(page, who('O0006')), 'statement');
	const s = await summary(page, 1);
	assert.ok(s.startsWith('Podsumowanie') && s.includes('Rozliczone'), s);
	assert.ok(!s.includes('Do zapłaty') && !s.includes('Nadpłata'), s);
	await context.close();
});

test('owing only the current month before its due day: owed, and nothing late', async () => {
	const { context, page } = await open(browser);
	assert.equal(await login(page, who('O0002')), 'statement');
	const s = await summary(page, 3);      // K000901, cable TV
	assert.ok(s.includes('Do zapłaty: 65,50 zł'), s);
	assert.ok(!s.includes('w tym po terminie'), s);
	assert.ok(s.includes('Nic nie jest po terminie: to opłata bieżąca, płatna do 28. dnia miesiąca.'), s);
	// the garage card: no persons, no floor
	const garage = await textOf(page.locator('#statement-root #k2'));
	assert.ok(garage.startsWith('Garaż nr 7 — opłaty'), garage.slice(0, 40));
	assert.ok(!garage.includes('Liczba osób') && !garage.includes('Piętro'), 'no fields that mean nothing for a garage');
	await context.close();
});
