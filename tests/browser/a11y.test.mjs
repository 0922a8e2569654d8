// a11y.test.mjs — axe-core's WCAG 2.1 A and AA rules (tags wcag2a, wcag2aa,
// wcag21a, wcag21aa) on the login page, every public page and the
// logged-in statement in every view: zero violations.  A failure names
// the rule, its help and each offending element (selector and HTML).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, PUBLIC_PAGES, launch, open, login, who, axe } from './lib.mjs';

let browser;
let runs = 0;
before(async () => { browser = await launch(); });
after(async () => {
	await browser?.close();
	console.log(`axe-core checks run: ${runs}`);
});

async function check(page, label, failures) {
	const r = await axe(page, label);
	runs++;
	if (r.violations.length) failures.push(r.report);
	assert.ok(r.passes > 0, `${label}: axe ran rules`);
}

const done = (failures) => assert.equal(failures.length, 0, '\n' + failures.join('\n'));

test('public pages, plain and in high contrast', async () => {
	const failures = [];
	const { context, page } = await open(browser, { watchAuth: false });
	for (const mode of ['plain', 'contrast']) {
		await page.goto(BASE);
		if (mode !== 'plain') await page.click('#a11y-contrast');
		for (const p of PUBLIC_PAGES) {
			await page.goto(BASE + p);
			await check(page, `${p} (${mode})`, failures);
		}
		await page.evaluate(() => localStorage.clear());
	}
	await context.close();
	done(failures);
});

test('the login page showing the error message, and at 320 px', async () => {
	const failures = [];
	const { context, page } = await open(browser, { viewport: { width: 320, height: 640 } });
	await login(page, { login: who('O0001').login, password: 'ABCD-EFGH-JKMN-PQRS-TUVW' });
	await check(page, 'login page with error (320 px)', failures);
	await context.close();
	done(failures);
});

test('the statement of every resident, in every view', async () => {
	const failures = [];
	const { context, page } = await open(browser, { watchAuth: false });
	for (const id of ['O0001', 'O0002', 'O0003', 'O0004', 'O0005', 'O0006']) {
		await login(page, who(id));
		await check(page, `${id} statement`, failures);
		// Every card at once (they share the page): all years of the
		// ledger, and the oldest month picked.
		const cards = page.locator('#statement-root .card');
		const n = await cards.count();
		const picked = [];
		for (let i = 0; i < n; i++) {
			const card = cards.nth(i);
			const year = card.locator('select.year-picker');
			if (await year.count()) await year.selectOption('all');
			const month = card.locator('select.month-picker');
			if (await month.count()) {
				const values = await month.locator('option').evaluateAll((os) => os.map((o) => o.value));
				await month.selectOption(values[values.length - 1]);
				picked.push(values[values.length - 1]);
			}
		}
		await check(page, `${id}, ${n} card(s): all years, months ${picked.join(' ')}`, failures);
		await page.click('#logout');
	}
	await context.close();
	done(failures);
});

test('the statement with "Większy tekst" and "Wysoki kontrast", desktop and 320 px', async () => {
	const failures = [];
	for (const viewport of [{ width: 1280, height: 900 }, { width: 320, height: 640 }]) {
		const { context, page } = await open(browser, { viewport, watchAuth: false });
		await page.goto(BASE);
		await page.click('#a11y-larger');
		await login(page, who('O0002'), { goto: false });
		await check(page, `O0002 larger text ${viewport.width}px`, failures);
		await page.click('#a11y-contrast');
		await page.focus('#logout');
		await check(page, `O0002 larger text + high contrast, logout focused ${viewport.width}px`, failures);
		await context.close();
	}
	done(failures);
});
