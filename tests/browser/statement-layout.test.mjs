// statement-layout.test.mjs — phones, tablets and desktops: at 320, 360,
// 768 and 1280 px, with the browser's text at 100 % and 200 %, no page
// scrolls sideways, the ledger and the components reflow into labelled
// rows wherever their columns would not fit (no value off screen or
// clipped), the login form and the first card's summary are on a 320 px
// phone's first screen, and every control is a touch target of 44 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, open, login, who, pageOverflow, setTextSize } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const WIDTHS = [320, 360, 768, 1280];
const device = (width) => width < 1000 ?
	{ viewport: { width, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } :
	{ viewport: { width, height: 900 } };

// Elements (outside boxes that scroll on purpose) reaching past the right
// edge, and table values cut off inside their box.
function overflowReport(page) {
	return page.evaluate(() => {
		const w = document.documentElement.clientWidth;
		const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
		const wide = [...document.querySelectorAll('body *')].filter((el) => shown(el) &&
			el.getBoundingClientRect().right > w + 0.5 && !el.closest('.skip-link'))
			.map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
		const clipped = [...document.querySelectorAll('#statement-root td, #statement-root tbody th')]
			.filter((el) => shown(el) && (el.getBoundingClientRect().right > w + 0.5 ||
				el.closest('.table-wrap').scrollWidth > el.closest('.table-wrap').clientWidth + 1))
			.map((el) => el.textContent.slice(0, 30));
		return { scroll: document.documentElement.scrollWidth > w, wide: wide.slice(0, 5), clipped: clipped.slice(0, 5) };
	});
}

for (const text of [100, 200]) {
	for (const width of WIDTHS) {
		test(`${width} px, text ${text} %: no sideways scrolling, nothing clipped, tables reflow where needed`, async () => {
			const { context, page } = await open(browser, { ...device(width), watchAuth: false });
			if (text !== 100) await setTextSize(page, text);
			await page.goto(BASE);
			let r = await overflowReport(page);
			assert.ok(!r.scroll && r.wide.length === 0, `login page: ${JSON.stringify(r)}`);
			assert.equal(await login(page, who('O0001'), { goto: false }), 'statement');
			// every month's and year's table shown, the widest case
			for (const sel of await page.locator('#statement-root select').all())
				await sel.selectOption(await sel.evaluate((s) => s.options[s.options.length - 1].value));
			r = await overflowReport(page);
			assert.ok(!r.scroll && r.wide.length === 0, `statement: ${JSON.stringify(r)}`);
			assert.deepEqual(r.clipped, [], 'no table value off screen or clipped in its box');
			const ledgerRows = await page.locator('#statement-root .ledger-table tbody tr').first()
				.evaluate((tr) => getComputedStyle(tr).display);
			if (width <= 768 || text === 200)
				assert.equal(ledgerRows, 'block', 'the ledger is in labelled rows');
			await context.close();
		});
	}
}

test('labelled rows say what each value is', async () => {
	const { context, page } = await open(browser, { ...device(320), watchAuth: false });
	assert.equal(await login(page, who('O0001')), 'statement');
	const label = (sel) => page.locator(sel).first().evaluate((el) => getComputedStyle(el, '::before').content);
	assert.equal(await label('#statement-root .ledger-table tbody td:nth-child(8)'), '"Saldo po operacji: "');
	assert.equal(await label('#statement-root .components-table tbody td:nth-child(4)'), '"Stawka: "');
	await context.close();
});

test('320 px phone: the login form and then the first summary are on the first screen', async () => {
	const { context, page } = await open(browser, { ...device(320), watchAuth: false });
	await page.goto(BASE);
	const h = 640;
	const bottom = (sel) => page.locator(sel).first().evaluate((el) => el.getBoundingClientRect().bottom);
	const header = await bottom('.site-header');
	assert.ok(header <= 0.45 * h, `the header takes ${header}px of ${h}`);
	assert.ok(await bottom('#password') <= h, 'login and password fields on the first screen');
	assert.equal(await login(page, who('O0001'), { goto: false }), 'statement');
	await page.evaluate(() => window.scrollTo(0, 0));
	const where = await page.evaluate(() => ['.site-header', 'main > h1', '.session-bar', '.holder', 'nav.cards',
		'#k1 h2', '#k1 .card-id', '#k1 .summary h3', '#k1 .saldo strong'].map((q) =>
		`${q} ${Math.round(document.querySelector(q)?.getBoundingClientRect().bottom)}`).join(', '));
	assert.ok(await bottom('#statement-root .saldo strong') <= h, `the first card's amount on the first screen: ${where}`);
	await context.close();
});

test('every control is a touch target of at least 44 × 44 px (or as wide as its text)', async () => {
	const { context, page } = await open(browser, { ...device(320), watchAuth: false });
	assert.equal(await login(page, who('O0001')), 'statement');
	const small = await page.evaluate(() => [...document.querySelectorAll(
		'.site-header a, .site-header button, #statement-root button, #statement-root select, .session-bar button, nav.cards a')]
		.filter((el) => el.getClientRects().length > 0)
		.map((el) => ({ el: `${el.tagName} ${el.textContent.trim().slice(0, 20)}`, r: el.getBoundingClientRect() }))
		.filter(({ r }) => r.height < 43.5 || r.width < 43.5)
		.map(({ el, r }) => `${el} ${Math.round(r.width)}×${Math.round(r.height)}`));
	assert.deepEqual(small, []);
	await context.close();
});
