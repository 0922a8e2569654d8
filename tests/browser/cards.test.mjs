// cards.test.mjs — what each resident of the fixtures sees: several cards,
// a cable-TV-only subscriber, every resident their own statement, and no
// script from the data ever running.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, login, who, foreignRequests, statementText, textOf } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('O0002 holds a flat, a garage and cable TV and sees all three cards', async () => {
	const { context, page, log } = await open(browser);
	assert.equal(await login(page, who('O0002')), 'statement');
	const cards = page.locator('#statement-root .card');
	assert.equal(await cards.count(), 3);
	const heads = (await cards.locator('h2').allInnerTexts()).map((s) => s.trim());
	assert.deepEqual(heads, ['Mieszkanie nr 12A — opłaty', 'Garaż nr 7 — opłaty', 'Telewizja kablowa']);
	const garage = await textOf(cards.nth(1));
	assert.ok(garage.includes('garaż') && garage.includes('ul. Łąkowa 2'), 'the garage and its address');
	const tv = await textOf(cards.nth(2));
	assert.ok(tv.includes('Do zapłaty: 65,50 zł'), 'the cable TV balance');
	assert.ok(tv.includes('Telewizja kablowa – pakiet podstawowy'), 'the cable TV components');
	for (let i = 0; i < 3; i++)
		assert.ok(await cards.nth(i).locator('.saldo').isVisible(), `card ${i + 1}: balance visible`);
	// The list of cards links to each card.
	const links = page.locator('#statement-root nav.cards a');
	assert.equal(await links.count(), 3);
	await links.nth(2).click();
	assert.ok(page.url().endsWith('#k3'));
	assert.ok(await cards.nth(2).locator('h2').isVisible());
	// Each card has its own pickers.
	assert.equal(await page.locator('#statement-root select.month-picker:visible').count(), 3);
	await cards.nth(1).locator('select.month-picker').selectOption('2021-10');
	assert.ok(await cards.nth(1).locator('.month[data-period="2021-10"]').isVisible());
	assert.ok(await cards.nth(0).locator('.month[data-period="2021-12"]').isVisible(), 'other cards keep theirs');
	// October and November charged the same on the flat: one table for
	// both, shown for either month.
	await cards.nth(0).locator('select.month-picker').selectOption('2021-11');
	const octNov = cards.nth(0).locator('.month[data-period="2021-10"][data-until="2021-11"]');
	assert.ok(await octNov.isVisible(), 'November shows the October–November table');
	assert.ok((await textOf(octNov)).includes('październik 2021 – listopad 2021'));
	assert.ok(await cards.nth(0).locator('.month[data-period="2021-12"]').isHidden(), 'December hidden');
	assert.deepEqual(foreignRequests(log), []);
	assert.deepEqual(log.dialogs, []);
	await context.close();
});

test('O0004, cable TV only, sees the card with the subscriber\'s address and no premises', async () => {
	const { context, page, log } = await open(browser);
	assert.equal(await login(page, who('O0004')), 'statement');
	const cards = page.locator('#statement-root .card');
	assert.equal(await cards.count(), 1);
	const t = await textOf(cards.first());
	assert.ok(t.startsWith('Telewizja kablowa') && t.includes('Kartoteka K000950'), t.slice(0, 60));
	assert.ok(t.includes('Adres abonenta') && t.includes('ul. Świętokrzyska 9, 26-220 Stąporków'), 'the subscriber\'s address');
	assert.ok(!t.includes('Dane lokalu') && !t.includes('Powierzchnia'), 'no premises');
	assert.ok(t.includes('Do zapłaty: 90,00 zł'));
	assert.deepEqual(foreignRequests(log), []);
	await context.close();
});

test('every resident of the fixtures opens their own statement, under their own name', async () => {
	const { context, page, log } = await open(browser);
	const balance = { O0003: 'Nadpłata: 40,11 zł', O0005: 'Do zapłaty: 1 486,59 zł', O0006: 'Rozliczone' };
	for (const id of ['O0003', 'O0005', 'O0006']) {
		assert.equal(await login(page, who(id)), 'statement', id);
		const text = await statementText(page);
		const holder = (await textOf(page.locator('#statement-root .holder'))).trim();
		assert.equal(holder, who(id).name.trim(), `${id}: the holder`);
		assert.ok(text.includes(balance[id]), `${id}: ${balance[id]}`);
		await page.click('#logout');
	}
	assert.deepEqual(foreignRequests(log), []);
	await context.close();
});

test('hostile data appears as text and no script from the data ever runs', async () => {
	const { context, page, log } = await open(browser);
	await page.goto(process.env.CZ_BASE_URL);
	await page.evaluate(() => {
		// Anything the data could make run would have to get past these.
		window.__xss = undefined;
		window.alert = () => { window.__xss = 'alert'; };
	});
	assert.equal(await login(page, who('O0001'), { goto: false }), 'statement');
	const cell = page.locator('#statement-root td', { hasText: 'cudzysłów' });
	assert.equal(await cell.count(), 1);
	assert.equal(await cell.textContent(), '<script>alert(1)</script> & "cudzysłów"');
	assert.equal(await page.locator('#statement-root script, #statement-root iframe, #statement-root object').count(), 0);
	const inline = await page.evaluate(() => Array.from(document.querySelectorAll('#statement-root *'))
		.flatMap((el) => Array.from(el.attributes).filter((a) => /^on/i.test(a.name) ||
			/^\s*javascript:/i.test(a.value)).map((a) => `${el.tagName} ${a.name}`)));
	assert.deepEqual(inline, [], 'no event handler attributes or javascript: URLs');
	await page.waitForTimeout(200);
	assert.equal(await page.evaluate(() => window.__xss), undefined);
	assert.deepEqual(log.dialogs, []);
	assert.deepEqual(await page.cspViolations(), [], 'nothing even tried to run (no CSP report)');
	await context.close();
});
