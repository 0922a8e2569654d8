// session-bfcache.test.mjs — leaving the statement and coming Back, with
// Chromium's back-forward cache ON (as residents have it).  Without "Nie
// wylogowuj" the statement is wiped on pagehide, so the page Back
// restores from the cache shows the login form; with it, the statement.
// Each test first proves the page really came from the cache (pageshow's
// persisted), or it would prove nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, open, login, who, statementText } from './lib.mjs';

let browser;
before(async () => { browser = await launch({ bfcache: true }); });
after(async () => { await browser?.close(); });

// Logs in, follows the menu's Regulamin link, goes Back.  Returns what
// the page knows about how it came back.  The HTTP auth watch (DevTools
// request interception) stays off: it would keep pages out of the cache.
async function there_and_back(page, who_, stay) {
	await page.addInitScript(() => {
		window.__shows = [];
		window.addEventListener('pageshow', (e) => window.__shows.push(e.persisted));
	});
	assert.equal(await login(page, who_, { stay }), 'statement');
	const name = who_.name.split(' ').pop();
	assert.ok((await statementText(page)).includes(name), 'the statement is shown before leaving');
	await Promise.all([page.waitForURL(/regulamin\.html$/), page.click('header a[href$="regulamin.html"]')]);
	// A page restored from the cache fires pageshow, never load.
	await page.goBack({ waitUntil: 'commit' });
	await page.waitForFunction(() => window.__shows && window.__shows.includes(true), null,
		{ timeout: 5000 }).catch(() => {});
	await page.waitForFunction(() => document.readyState === 'complete');
	return {
		shows: await page.evaluate(() => window.__shows),
		name,
	};
}

test('without "stay logged in": Back from the Regulamin shows the login form, nothing of the statement', async () => {
	const { context, page, log } = await open(browser, { watchAuth: false });
	const { shows, name } = await there_and_back(page, who('O0003'), false);
	assert.deepEqual(shows, [false, true], 'the page was restored from the back-forward cache (pageshow persisted)');
	assert.ok(await page.locator('#login-form').isVisible(), 'the login form is shown');
	assert.ok(await page.locator('#statement-root').isHidden(), 'the statement is hidden');
	assert.equal(await page.locator('#statement-root *').count(), 0, 'and gone from the page');
	assert.ok(!(await page.locator('body').innerText()).includes(name), 'the name is nowhere on the page');
	assert.ok(await page.locator('#logout').isHidden(), 'no logout button');
	assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'nothing stored');
	assert.equal(await page.inputValue('#password'), '', 'the password field is empty');
	assert.deepEqual(log.pageErrors, [], 'no script errors');
	await context.close();
});

test('with "stay logged in": Back from the Regulamin returns to the statement', async () => {
	const { context, page, log } = await open(browser, { watchAuth: false });
	const o1 = who('O0001');
	const { shows } = await there_and_back(page, o1, true);
	assert.deepEqual(shows, [false, true], 'the page was restored from the back-forward cache (pageshow persisted)');
	assert.ok(await page.locator('#statement-root').isVisible(), 'the statement is shown');
	assert.ok((await statementText(page)).includes('Do zapłaty: 934,82 zł'), 'the same statement');
	assert.ok(await page.locator('#login-form').isHidden(), 'no login form');
	assert.deepEqual(log.pageErrors, [], 'no script errors');
	await context.close();
});
