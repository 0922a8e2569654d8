// login.test.mjs — logging in with the letter's password, the statement a
// resident reads, wrong credentials, logout and "stay logged in".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, MSG_WRONG, launch, open, login, who, foreignRequests, statementText, textOf } from './lib.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await shared?.context.close(); await browser?.close(); });

// O0001 logged in once, read by the first three tests (one PBKDF2 less each).
let shared = null;
async function o1() {
	if (!shared) {
		shared = await open(browser);
		assert.equal(await login(shared.page, who('O0001')), 'statement');
	}
	return shared;
}

// What every scenario must also hold: nothing outside the site, no dialog
// of any kind, no native auth prompt, no CSP violation, no script error.
async function clean(page, log) {
	assert.deepEqual(foreignRequests(log), [], 'requests outside the site');
	assert.deepEqual(log.dialogs, [], 'dialogs');
	assert.deepEqual(log.authPrompts, [], 'native HTTP auth prompts');
	assert.deepEqual(await page.cspViolations(), [], 'CSP violations');
	assert.deepEqual(log.consoleErrors.filter((m) => !/status of 40[13]/.test(m)), [],
		'console errors (CSP or other; the 401/403 of a wrong login are expected)');
	assert.deepEqual(log.pageErrors, [], 'uncaught script errors');
}

// Everything a person can find in the browser's storage, as one string.
const storage = (page) => page.evaluate(() => {
	const dump = (s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`).join('\n');
	return { session: dump(sessionStorage), local: dump(localStorage), cookies: document.cookie };
});

// The session left nothing behind: storage empty but for preferences.
async function nothingStored(page) {
	const s = await storage(page);
	assert.equal(s.session, '', 'sessionStorage is empty');
	assert.ok(!/czynsze\.session/.test(s.local), 'nothing of the session in localStorage');
	assert.equal(s.cookies, '', 'no cookies');
}

// The page (after a load or reload) asks to log in and shows no statement.
async function asksToLogIn(page, what) {
	await page.waitForLoadState('networkidle');
	assert.ok(await page.locator('#login-form').isVisible(), `${what}: the login form`);
	assert.ok(await page.locator('#statement-root').isHidden(), `${what}: no statement`);
}

test('O0001 logs in with the password of their letter and reads their balance in words', async () => {
	shared = await open(browser);
	const { page, log } = shared;
	const res = await page.goto(BASE);
	assert.match(res.headers()['content-security-policy'] || '', /script-src 'self'/, 'nginx sends the CSP');
	assert.equal(await login(page, who('O0001'), { goto: false }), 'statement');
	const text = await statementText(page);
	assert.ok(text.includes('Anna Kowalska'), 'the name');
	assert.ok(text.includes('Do zapłaty: 934,82 zł'), 'the balance in words');
	assert.ok(text.includes('(stan na dzień 28.12.2021)'), 'the balance date, sealed in the bundle');
	assert.ok(await page.locator('#statement-root .saldo').first().isVisible(), 'the balance is visible');
	assert.ok(await page.locator('#login-section').isHidden(), 'the login form and its heading are hidden');
	assert.equal(await page.evaluate(() => document.activeElement.className), 'holder',
		'focus moved to the statement (the holder\'s name)');
	assert.ok(await page.locator('#logout').isVisible(), 'the logout button is shown');
	assert.equal(await page.inputValue('#password'), '', 'the password field is emptied');
	// The bundle was fetched by script, never navigated to.
	const navs = log.requests.filter((r) => r.navigation).map((r) => r.url);
	assert.deepEqual(navs, [BASE]);
	assert.ok(log.requests.some((r) => r.url.endsWith(`/r/${who('O0001').login}.bin`)));
	await clean(page, log);
});

test('the ledger: every booking of the year, the hostile description as plain text', async () => {
	const { page, log } = await o1();
	const card = page.locator('#statement-root .card').first();
	const rows = card.locator('.ledger-table tbody tr');
	assert.equal(await rows.count(), 7, 'seven bookings on K000451');
	const ledger = await textOf(card.locator('.ledger'));
	for (const s of ['Bilans otwarcia', 'NAL/11/2021/451', 'Odsetki za zwłokę', '500,00 zł', '934,82 zł'])
		assert.ok(ledger.includes(s), `the ledger shows ${s}`);
	assert.ok(ledger.includes('<script>alert(1)</script> & "cudzysłów"'), 'the hostile description, as text');
	// The year filter: its picker is shown and "all years" keeps the year.
	const year = card.locator('select.year-picker');
	assert.ok(await year.isVisible(), 'the year picker is shown');
	await year.selectOption('all');
	assert.ok(await card.locator('.ledger-year[data-year="2021"]').isVisible());
	await year.selectOption('2021');
	assert.ok(await card.locator('.ledger-year[data-year="2021"]').isVisible());
	await clean(page, log);
});

test('the month picker shows the charge components of the month picked', async () => {
	const { page, log } = await o1();
	const card = page.locator('#statement-root .card').first();
	const month = card.locator('select.month-picker');
	assert.ok(await month.isVisible(), 'the month picker is shown');
	assert.equal(await month.inputValue(), '2021-12', 'the latest month first');
	assert.ok(await card.locator('.month[data-period="2021-12"]').isVisible());
	assert.ok(await card.locator('.month[data-period="2021-11"]').isHidden());
	await month.selectOption({ label: 'listopad 2021' });
	const nov = card.locator('.month[data-period="2021-11"]');
	assert.ok(await nov.isVisible(), 'November shown');
	assert.ok(await card.locator('.month[data-period="2021-12"]').isHidden(), 'December hidden');
	const t = await textOf(nov);
	for (const s of ['Podgrzanie wody', '12,125', '179,45 zł', 'Eksploatacja', 'Razem za listopad 2021', '648,80 zł'])
		assert.ok(t.includes(s), `November's components show ${s}`);
	assert.equal(await nov.locator('tbody tr').count(), 6);
	await clean(page, log);
});

for (const [what, creds, retry] of [
	['a wrong password', () => ({ login: who('O0001').login, password: 'ABCD-EFGH-JKMN-PQRS-TUVW' }), true],
	['an unknown login', () => ({ login: 'zzzzzzzzzz', password: who('O0001').password }), false],
	['another resident\'s password', () => ({ login: who('O0001').login, password: who('O0002').password }), false],
]) {
	test(`${what}: the one Polish message, no native dialog, and the page stays usable`, async () => {
		const { context, page, log } = await open(browser);
		assert.equal(await login(page, creds()), MSG_WRONG);
		assert.ok(await page.locator('#login-error').isVisible(), 'the message is shown');
		assert.equal(await page.getAttribute('#login-error', 'role'), 'alert', 'and announced');
		assert.ok(await page.locator('#statement-root').isHidden());
		assert.deepEqual(log.requests.filter((r) => r.navigation).map((r) => r.url), [BASE],
			'no navigation to the bundle');
		await clean(page, log);
		assert.ok(await page.locator('#login-form button[type="submit"]').isEnabled(), 'the button works again');
		if (!retry) { await context.close(); return; }
		// Same page, right credentials: it works, and the message is gone.
		assert.equal(await login(page, who('O0001'), { goto: false }), 'statement');
		assert.ok(await page.locator('#login-error').isHidden(), 'the message is cleared');
		await clean(page, log);
		await context.close();
	});
}

test('the auth-prompt watch works: navigating to a bundle without credentials would prompt', async () => {
	// The control for the checks above: a plain navigation to a bundle is
	// a 401 with a Basic challenge, which Chromium turns into its dialog.
	const { context, page, log } = await open(browser);
	const res = await page.goto(`${BASE}r/${who('O0001').login}.bin`);
	assert.equal(res.status(), 401);
	assert.equal(log.authPrompts.length, 1, 'the prompt was seen');
	await context.close();
});

test('logout clears the statement and the storage', async () => {
	const { context, page, log } = await open(browser);
	await login(page, who('O0002'), { stay: true });
	assert.match((await storage(page)).session, /czynsze\.session=/);
	await page.click('#logout');
	assert.ok(await page.locator('#statement-root').isHidden());
	assert.equal(await page.locator('#statement-root *').count(), 0, 'no statement left in the page');
	assert.ok(!(await page.locator('body').innerText()).includes('Żółkiewski'), 'the name is gone');
	assert.ok(await page.locator('#login-form').isVisible(), 'the form is back');
	assert.ok(await page.locator('#login-section').isVisible());
	assert.equal(await page.evaluate(() => document.activeElement.id), 'login', 'focus on the login field');
	assert.ok(await page.locator('#logout').isHidden());
	assert.equal(await page.inputValue('#login'), '');
	await nothingStored(page);
	await page.reload();
	await asksToLogIn(page, 'a reload after logout');
	await clean(page, log);
	await context.close();
});

test('"stay logged in" keeps the session across a reload in this tab only, never the password', async () => {
	const { context, page, log } = await open(browser);
	const o1 = who('O0001');
	await login(page, o1, { stay: true });
	const s = await storage(page);
	const canon = o1.password.replace(/[-\s]/g, '');
	for (const where of [s.session, s.local, s.cookies]) {
		assert.ok(!where.includes(o1.password) && !where.includes(canon), 'no password in storage');
		assert.ok(!where.toLowerCase().includes(canon.toLowerCase()));
	}
	assert.ok(!s.local.includes(o1.login), 'nothing of the session in localStorage');
	const saved = JSON.parse(await page.evaluate(() => sessionStorage.getItem('czynsze.session')));
	assert.deepEqual(Object.keys(saved).sort(), ['key', 'login', 'token', 'v'], 'login, data key, token and key version only');
	assert.equal(saved.login, o1.login);

	await page.reload();
	await page.locator('#statement-root:not([hidden])').waitFor({ timeout: 15000 });
	assert.ok((await statementText(page)).includes('Do zapłaty: 934,82 zł'), 'still logged in after a reload');
	assert.ok(await page.locator('#login-form').isHidden());

	// A new tab of the same browser profile has its own sessionStorage.
	const tab = await context.newPage();
	await tab.goto(BASE);
	await asksToLogIn(tab, 'a new tab');
	await tab.close();

	// A new context (another browser session): logged out.
	const other = await open(browser);
	await other.page.goto(BASE);
	await asksToLogIn(other.page, 'a new browser session');
	await other.context.close();
	await clean(page, log);
	await context.close();
});

test('without "stay logged in" a reload asks to log in again and nothing is stored', async () => {
	const { context, page, log } = await open(browser);
	await login(page, who('O0003'));
	await nothingStored(page);
	await page.reload();
	await asksToLogIn(page, 'a reload');
	await clean(page, log);
	await context.close();
});
