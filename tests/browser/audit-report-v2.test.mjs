// audit-report-v2.test.mjs — the auditors' HTML report of two export
// format 2 nights in Chromium: the closed-period reading change comes
// first, readings and documents name whose they are, and axe-core's WCAG
// 2.1 A/AA rules find zero violations on screen and in print.
// tests/t0352-audit-v2-fixtures.sh makes the report (the v2 fixture night
// and a variant with R-0012 edited) and sets CZ_AUDIT_REPORT_V2; other
// runs (t0500) skip it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { launch, axe } from './lib.mjs';

const REPORT = process.env.CZ_AUDIT_REPORT_V2;
let browser;
before(async () => { if (REPORT) browser = await launch(); });
after(async () => { await browser?.close(); });

test('audit report of v2 nights: closed-period reading first, WCAG 2.1 AA', { skip: !REPORT && 'CZ_AUDIT_REPORT_V2 not set (run by t0352)' }, async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	const url = pathToFileURL(REPORT).href;
	await page.goto(url);
	const h2 = await page.locator('main h2').allTextContents();
	assert.match(h2[0], /1 zmian\(y\) w okresach zamkniętych/, 'the first section is the closed-period change');
	const first = await page.locator('main table').first().locator('tbody tr').allTextContents();
	assert.equal(first.length, 1, 'one closed-period row');
	assert.match(first[0], /zmieniono.*odczyt licznika.*R-0012.*lokal B07\/2\/45.*2021-09-30.*ksm_usage.*2\.200.*2\.125/);
	for (const mode of ['screen', 'print']) {
		await page.emulateMedia({ media: mode });
		const r = await axe(page, `audit report v2 (${mode})`);
		assert.ok(r.passes > 0, 'axe ran rules');
		assert.equal(r.violations.length, 0, '\n' + r.report);
	}
	await context.close();
});
