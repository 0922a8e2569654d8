// audit-report.test.mjs — the auditors' HTML report (czynsze audit report
// --html) in Chromium: axe-core's WCAG 2.1 A/AA rules with zero
// violations, on screen and emulating print; it loads nothing from
// anywhere (one self-contained file); the closed-period changes come
// first.  tests/t0340-audit-report.sh makes the report from the fixtures
// and sets CZ_AUDIT_REPORT; other runs (t0500) skip it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { launch, axe } from './lib.mjs';

const REPORT = process.env.CZ_AUDIT_REPORT;
let browser;
before(async () => { if (REPORT) browser = await launch(); });
after(async () => { await browser?.close(); });

test('audit report: self-contained, closed periods first, WCAG 2.1 AA', { skip: !REPORT && 'CZ_AUDIT_REPORT not set (run by t0340)' }, async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	const requests = [];
	page.on('request', (r) => requests.push(r.url()));
	const url = pathToFileURL(REPORT).href;
	await page.goto(url);
	assert.deepEqual(requests, [url], 'the report loads nothing but itself');
	const h2 = await page.locator('main h2').allTextContents();
	assert.match(h2[0], /2 zmian\(y\) w okresach zamkniętych/, 'the first section is the closed-period changes');
	const first = await page.locator('main table').first().locator('tbody tr').allTextContents();
	assert.equal(first.length, 2, 'two closed-period rows');
	assert.match(first[0], /operacja.*10005.*K000403.*2021-10.*credit.*300\.00.*290\.63/);
	assert.match(first[1], /usunięto.*10029.*K000451/);
	assert.equal(await page.locator('svg[role="img"]').count(), 3, 'three charts');
	for (const mode of ['screen', 'print']) {
		await page.emulateMedia({ media: mode });
		const r = await axe(page, `audit report (${mode})`);
		assert.ok(r.passes > 0, 'axe ran rules');
		assert.equal(r.violations.length, 0, '\n' + r.report);
	}
	await context.close();
});
