// layout.test.mjs — a phone 320 px wide, 200 % text, the site's own
// "Większy tekst" and "Wysoki kontrast": the statement stays usable (the
// page never scrolls sideways; wide tables scroll inside their own box),
// and screenshots of the main views for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, open, login, who, pageOverflow, screenshot, setTextSize } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

// The balance of every card is on screen horizontally and not clipped.
async function balancesVisible(page) {
	const width = await page.evaluate(() => document.documentElement.clientWidth);
	const boxes = await page.locator('#statement-root .saldo').evaluateAll((els) => els.map((e) => {
		const r = e.getBoundingClientRect();
		return { left: r.left, right: r.right, w: r.width, h: r.height, text: e.textContent };
	}));
	assert.ok(boxes.length > 0, 'balances present');
	for (const b of boxes) {
		assert.ok(b.w > 0 && b.h > 0, `balance has a size: ${b.text}`);
		assert.ok(b.left >= 0 && b.right <= width + 0.5, `balance within the ${width}px viewport: ${b.text} ${b.left}-${b.right}`);
	}
}

async function noPageScroll(page, what) {
	const o = await pageOverflow(page);
	if (o.overflow) {
		const wide = await page.evaluate(() => {
			const w = document.documentElement.clientWidth;
			return Array.from(document.querySelectorAll('body *')).filter((el) => {
				const r = el.getBoundingClientRect();
				return r.right > w + 0.5 && !el.closest('.table-wrap') && getComputedStyle(el).display !== 'none';
			}).slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
		});
		assert.fail(`${what}: the page scrolls sideways (${o.scrollWidth} > ${o.clientWidth}): ${wide.join(', ')}`);
	}
}

test('login page: desktop and 320 px, no sideways scrolling', async () => {
	for (const [name, opts] of [['login-desktop', DESKTOP], ['login-320', PHONE]]) {
		const { context, page } = await open(browser, { ...opts, watchAuth: false });
		await page.goto(BASE);
		await noPageScroll(page, name);
		assert.ok(await page.locator('#login').isVisible());
		console.log(await screenshot(page, name));
		await context.close();
	}
});

test('the statement on a desktop', async () => {
	const { context, page } = await open(browser, { ...DESKTOP, watchAuth: false });
	await login(page, who('O0002'));
	await noPageScroll(page, 'desktop');
	await balancesVisible(page);
	console.log(await screenshot(page, 'statement-desktop'));
	await context.close();
});

test('the statement 320 px wide: no sideways scrolling, balances and ledger amounts on screen', async () => {
	const { context, page } = await open(browser, { ...PHONE, watchAuth: false });
	await login(page, who('O0001'));
	await noPageScroll(page, '320 px');
	await balancesVisible(page);
	// On a phone the ledger's bookings stack (every amount on screen); the
	// components table may scroll inside its own box, which a keyboard
	// user can reach (tabindex=0) and which is labelled.
	const width = await page.evaluate(() => document.documentElement.clientWidth);
	const cells = await page.locator('#statement-root .ledger-table td').evaluateAll((tds) =>
		tds.filter((td) => td.offsetParent).map((td) => td.getBoundingClientRect().right));
	assert.ok(cells.length > 0 && cells.every((r) => r <= width + 0.5), 'every ledger value on screen');
	const wrap = page.locator('#statement-root .components .table-wrap').first();
	const { scroll, client } = await wrap.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
	assert.ok(client <= width, 'the components box fits the screen');
	assert.ok(scroll >= client);
	assert.equal(await wrap.getAttribute('tabindex'), '0');
	assert.ok(await wrap.getAttribute('aria-label'));
	// The pickers can be used.
	await page.locator('#statement-root select.month-picker').first().selectOption('2021-11');
	assert.ok(await page.locator('#statement-root .month[data-period="2021-11"]').first().isVisible());
	await noPageScroll(page, '320 px after picking a month');
	console.log(await screenshot(page, 'statement-320'));
	await context.close();
});

test('200 % text (the browser\'s font size doubled) at 320 px: still no sideways scrolling', async () => {
	const { context, page } = await open(browser, { ...PHONE, watchAuth: false });
	await setTextSize(page, 200);
	await page.goto(BASE);
	const size = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
	assert.equal(size, 36, 'the root font is 200 % of the site\'s 18 px');
	await noPageScroll(page, 'login page at 200 %');
	await login(page, who('O0002'), { goto: false });
	await noPageScroll(page, 'statement at 200 %');
	await balancesVisible(page);
	console.log(await screenshot(page, 'statement-320-text200'));
	await context.close();
});

test('"Większy tekst" and "Wysoki kontrast" at 320 px: remembered, still usable', async () => {
	const { context, page } = await open(browser, { ...PHONE, watchAuth: false });
	await page.goto(BASE);
	await page.click('#a11y-larger');
	await page.click('#a11y-contrast');
	assert.equal(await page.getAttribute('#a11y-contrast', 'aria-pressed'), 'true');
	assert.ok(await page.evaluate(() => document.documentElement.classList.contains('contrast-high')));
	await login(page, who('O0004'), { goto: false });
	await noPageScroll(page, 'large text + high contrast');
	await balancesVisible(page);
	console.log(await screenshot(page, 'statement-320-contrast-large'));
	const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
	assert.equal(bg, 'rgb(0, 0, 0)');
	// Preferences only in localStorage, no data of the statement.
	const local = await page.evaluate(() => JSON.stringify(localStorage));
	assert.ok(local.includes('czynsze.prefs') && !local.includes(who('O0004').login));
	await page.reload();
	assert.ok(await page.evaluate(() => document.documentElement.classList.contains('text-large')), 'remembered');
	await context.close();
});

test('high contrast on a desktop', async () => {
	const { context, page } = await open(browser, { ...DESKTOP, watchAuth: false });
	await page.goto(BASE);
	await page.click('#a11y-contrast');
	await login(page, who('O0002'), { goto: false });
	await noPageScroll(page, 'desktop high contrast');
	console.log(await screenshot(page, 'statement-desktop-contrast'));
	await context.close();
});
