// freshness-replay.test.mjs — the statement's "as of" date is the one
// sealed inside its bundle, and a bundle of an older export (last night's
// file of the same resident, served again) is refused with a message in
// Polish, though it still opens with today's password.
//
// tests/t0500-browser.sh generates the night before first (the fixture's
// export dated 2021-12-27) and keeps its bundles in CZ_OLDER_BUNDLES; the
// live site (CZ_SITE) is the fixture's export of 2021-12-28.  The tests
// put an older bundle in place of the live one on disk, so that nginx
// serves it as it would serve any file, and put the live one back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, launch, open, login, who, statementText } from './lib.mjs';

const SITE = process.env.CZ_SITE;
const OLDER = process.env.CZ_OLDER_BUNDLES;
const MSG_OLD = 'Serwer przysłał Twoje rozliczenie z dnia 27.12.2021, starsze niż dane na ' +
	'tej stronie (z dnia 28.12.2021).';

let browser;
before(async () => {
	assert.ok(SITE && OLDER, 'CZ_SITE and CZ_OLDER_BUNDLES are set (run through t0500-browser.sh)');
	browser = await launch();
});
after(async () => { await browser?.close(); });

// Runs fn with the older bundle of person in place of the live one.
async function withOlderBundle(person, fn) {
	const name = who(person).login + '.bin';
	const live = join(SITE, 'r', name);
	const saved = readFileSync(live);
	const older = readFileSync(join(OLDER, name));
	assert.ok(!older.equals(saved), 'the older bundle is another file');
	writeFileSync(live, older);
	try {
		await fn();
	} finally {
		writeFileSync(live, saved);
	}
}

async function nothingShown(page, name) {
	assert.ok(await page.locator('#statement-root').isHidden(), 'no statement');
	assert.equal(await page.locator('#statement-root *').count(), 0, 'nothing of it in the page');
	assert.ok(!(await page.locator('body').innerText()).includes(name), 'the name is nowhere');
	assert.ok(await page.locator('#login-form').isVisible(), 'the login form is shown');
}

test('the "as of" date is the one sealed in the bundle, not the page\'s', async () => {
	const { context, page } = await open(browser);
	await page.goto(BASE);
	// What the page says is not what the statement shows.
	await page.evaluate(() => document.querySelector('[data-export-date]')
		.setAttribute('data-export-date', '01.01.2000'));
	assert.equal(await login(page, who('O0001'), { goto: false }), 'statement');
	const text = await statementText(page);
	assert.ok(text.includes('(stan na dzień 28.12.2021)'), 'the bundle\'s date');
	assert.ok(!text.includes('01.01.2000'), 'not the page\'s');
	await context.close();
});

test('an older bundle of the same resident is refused with a message, though the password opens it', async () => {
	const o2 = who('O0002');
	await withOlderBundle('O0002', async () => {
		const { context, page, log } = await open(browser);
		const said = await login(page, o2);
		assert.ok(said.startsWith(MSG_OLD), `the message says why: ${said}`);
		assert.ok(said.includes('zgłoś to w spółdzielni'), 'and what to do');
		assert.equal(await page.getAttribute('#login-error', 'role'), 'alert', 'announced');
		await nothingShown(page, 'Żółkiewski');
		assert.ok(log.requests.some((r) => r.url.endsWith(`/r/${o2.login}.bin`)), 'the bundle was fetched');
		assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'nothing stored');
		// The control: the same file, with a page of an export older
		// still, opens, and shows the date sealed in it.
		await page.goto(BASE);
		await page.evaluate(() => document.querySelector('[data-export-at]')
			.setAttribute('data-export-at', '2021-12-01T00:00:00'));
		assert.equal(await login(page, o2, { goto: false }), 'statement',
			'the older bundle itself opens with the password');
		assert.ok((await statementText(page)).includes('(stan na dzień 27.12.2021)'),
			'and carries its own date');
		await context.close();
	});
});

test('"stay logged in": an older bundle served at the next load is refused too', async () => {
	const o2 = who('O0002');
	const { context, page } = await open(browser);
	assert.equal(await login(page, o2, { stay: true }), 'statement');
	await withOlderBundle('O0002', async () => {
		await page.reload();
		await page.locator('#login-error:not([hidden])').waitFor({ timeout: 15000 });
		assert.ok((await page.locator('#login-error').innerText()).startsWith(MSG_OLD), 'the message');
		await nothingShown(page, 'Żółkiewski');
		assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'the session is forgotten');
	});
	await context.close();
});
