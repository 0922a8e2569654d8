// readings-view.test.mjs — "Odczyty liczników" as a resident sees it, on
// the v2 site of t0270 (skipped on t0500's v1 site): each meter named by
// medium, unit and serial, readings newest first, a decrease said in
// words with a warning, the chart (an image with a label) and its table,
// axe-core clean, and no sideways scroll on a 320 px phone.
// Hand-checked against fixtures/v2/ksm-20211231/odczyty.csv: ZW-1100 on
// B07/1/3 (O0003's premises) reads 300 (30.06), 298 (30.09, lower: a
// warning), 301 (15.12, by the resident), 302,5 (30.12).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, open, login, who, textOf, axe, pageOverflow, screenshot } from './lib.mjs';

const skip = process.env.CZ_FIXTURE === 'v2' ? false : 'needs the v2 site of t0270';
let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { await browser?.close(); });

test('the readings of a meter, newest first, a decrease in words, the chart and its table', { skip }, async () => {
	const { context, page, log } = await open(browser);
	assert.equal(await login(page, who('O0003')), 'statement');
	const section = page.locator('#statement-root #odczyty');
	assert.equal(await section.locator('h2').innerText(), 'Odczyty liczników');
	const meter = section.locator('section.meter', { hasText: 'ZW-1100' });
	assert.equal(await meter.locator('h3').innerText(), 'Woda zimna, m³ — licznik nr ZW-1100');
	const rows = await meter.locator('table.readings-table tbody tr').evaluateAll((trs) =>
		trs.map((tr) => Array.from(tr.cells, (c) => c.textContent.replace(/\u00a0/g, ' '))));
	assert.deepEqual(rows.map((r) => r[0]), ['30.12.2021', '15.12.2021', '30.09.2021', '30.06.2021'],
		'newest first');
	assert.deepEqual(rows[0].slice(1, 3), ['302,50 m³', '1,50 m³']);
	assert.equal(rows[1][3], 'podany przez mieszkańca');
	assert.equal(rows[2][2], 'stan niższy o 2 m³', 'a decrease in words, no minus');
	assert.match(rows[2][3], /^odczyt\. Uwaga: licznik pokazuje mniej niż przy poprzednim odczycie/);
	assert.ok(!/(^|[\s(])[−-]\d/.test(await textOf(section)), 'no minus before a number (serials like ZW-1100 aside)');
	// the chart: an image with a label, one bar per period with consumption
	const svg = meter.locator('figure.usage-chart svg');
	assert.equal(await svg.getAttribute('role'), 'img');
	assert.match(await svg.getAttribute('aria-label'), /^Wykres zużycia w okresach między odczytami/);
	assert.equal(await svg.locator('rect').count(), 2, 'two bars (the decrease has none)');
	assert.ok((await svg.boundingBox()).height > 20, 'the chart is drawn');
	// the table alternative, opened
	await meter.locator('details.chart-table summary').click();
	const alt = await meter.locator('table.usage-table tbody tr').evaluateAll((trs) =>
		trs.map((tr) => Array.from(tr.cells, (c) => c.textContent.replace(/\u00a0/g, ' ')).join(' | ')));
	assert.deepEqual(alt, ['30.12.2021 | 1,50 m³', '15.12.2021 | 3 m³', '30.09.2021 | stan niższy o 2 m³']);
	const a = await axe(page, 'readings (O0003, chart table open)');
	assert.equal(a.violations.length, 0, a.report);
	await screenshot(page, 'readings-O0003');
	assert.deepEqual(log.pageErrors, []);
	await context.close();
});

test('on a 320 px phone the readings do not make the page scroll sideways', { skip }, async () => {
	const { context, page } = await open(browser, {
		viewport: { width: 320, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
	});
	assert.equal(await login(page, who('O0001')), 'statement');
	await page.locator('#statement-root #odczyty details.chart-table summary').first().click();
	const o = await pageOverflow(page);
	assert.ok(!o.overflow, `the page scrolls sideways: ${o.scrollWidth} > ${o.clientWidth}`);
	const a = await axe(page, 'readings and documents on a phone (O0001)');
	assert.equal(a.violations.length, 0, a.report);
	await screenshot(page, 'readings-phone-O0001');
	await context.close();
});
