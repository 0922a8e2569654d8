// credentials-lifecycle.test.mjs — issue 12's acceptance, as residents
// see it: the live site of three nightly runs, served by nginx from the
// default `czynsze nginx-conf`, each login typed into the site's own form
// in Chromium.  Revoke and reset take effect at once, without another
// nightly; rollback changes nothing about who can log in with what; a
// reset killed with SIGKILL leaves exactly one of the old and the new
// password working.  tests/t0233-credentials-browser.sh builds the home
// and runs this file (only it: the steps below change the home), with:
//   CZ_CZ          the czynsze binary (CZYNSZE_HOME: the home)
//   CZ_CREDENTIALS the letters of the first `credentials issue`
//   CZ_LETTERS     a folder for the letters of the resets
// Every attempt is a fresh browser context (no cookies, storage or cache
// of an earlier one), checked empty before the login is typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BASE, MSG_WRONG, launch, open, login, who, credentialsFrom, statementText, textOf } from './lib.mjs';

const CZ = process.env.CZ_CZ;
const LETTERS = process.env.CZ_LETTERS;
if (!CZ || !LETTERS) throw new Error('CZ_CZ and CZ_LETTERS are not set: run through tests/t0233-credentials-browser.sh');

// What the fixtures say each of them must see: the holder's name and cards.
const A = { id: 'O0001', holder: 'Anna Kowalska', cards: ['K000451', 'K000452'] };
const B = { id: 'O0002', holder: 'Łukasz Żółkiewski', cards: ['K000312', 'K000317', 'K000901'] };
const C = { id: 'O0003', holder: 'Małgorzata Ewa Ćwik', cards: ['K000403'] };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// czynsze ARGS... with extra environment; returns { status, signal, out }.
function cz(args, env = {}) {
	const r = spawnSync(CZ, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
	if (r.error) throw r.error;
	return { status: r.status, signal: r.signal, out: r.stdout + r.stderr };
}
function czOk(args) {
	const r = cz(args);
	assert.equal(r.status, 0, `czynsze ${args.join(' ')}: ${r.out}`);
	return r.out;
}

// One attempt in a fresh context: the login page, the login and password
// typed in, the outcome as the resident sees it:
//   { outcome: 'statement', holder, cards, text } or { outcome: message }.
async function attempt(creds) {
	const { context, page, log } = await open(browser);
	try {
		await page.goto(BASE);
		const stored = await page.evaluate(() => ({
			session: sessionStorage.length, local: localStorage.length, cookies: document.cookie,
		}));
		assert.deepEqual(stored, { session: 0, local: 0, cookies: '' }, 'a clean context: nothing stored');
		const outcome = await login(page, creds, { goto: false });
		assert.deepEqual(log.authPrompts, [], 'no native login dialog');
		assert.deepEqual(log.pageErrors, [], 'no script errors');
		if (outcome !== 'statement') {
			assert.ok(await page.locator('#login-error').isVisible(), 'the message is shown');
			assert.equal(await page.locator('#statement-root *').count(), 0, 'no statement in the page');
			return { outcome };
		}
		return {
			outcome,
			holder: (await textOf(page.locator('#statement-root .holder'))).trim(),
			cards: (await page.locator('#statement-root .card-id').allInnerTexts())
				.map((t) => t.replace(/^Kartoteka\s+/, '').trim()),
			text: await statementText(page),
		};
	} finally {
		await context.close();
	}
}

// The resident opens their own statement: their name and cards.
async function opensOwn(who_, creds, what) {
	const got = await attempt(creds);
	assert.equal(got.outcome, 'statement', `${what}: the statement opens`);
	assert.equal(got.holder, who_.holder, `${what}: the holder's name`);
	assert.deepEqual(got.cards, who_.cards, `${what}: the cards`);
	return got;
}

// The resident gets the Polish "wrong login or password" and nothing else.
async function refused(creds, what) {
	const got = await attempt(creds);
	assert.equal(got.outcome, MSG_WRONG, `${what}: "${MSG_WRONG}"`);
}

// The export the live site's page was generated from (its generation).
async function pageExport() {
	const { context, page } = await open(browser);
	try {
		await page.goto(BASE);
		return await page.getAttribute('[data-export-at]', 'data-export-at');
	} finally {
		await context.close();
	}
}

const csv = (dir) => credentialsFrom(join(dir, 'credentials.csv'));
let a, b, b2, c, cBefore;

test('before: A, B and C open their statements through the login form', async () => {
	assert.match(await pageExport(), /^2021-12-30/, 'the third night is live');
	a = who(A.id); b = who(B.id); c = who(C.id);
	await opensOwn(A, a, 'A');
	await opensOwn(B, b, 'B');
	cBefore = (await opensOwn(C, c, 'C')).text;
});

test('revoke A: at once, A gets the "wrong login or password" message', async () => {
	assert.match(czOk(['credentials', 'revoke', A.id]), /from now on it opens nothing/);
	await refused(a, 'A right after the revoke');
});

// The four results of the acceptance; cText: C's statement as expected.
async function fourResults(when, cText) {
	await refused(a, `${when}: A`);
	await refused(b, `${when}: B's old password`);
	await opensOwn(B, b2, `${when}: B's new password`);
	const gotC = await opensOwn(C, c, `${when}: C`);
	assert.equal(gotC.text, cText, `${when}: C's statement unchanged`);
}

test('reset B, without another nightly: A opens nothing, B\'s old password nothing, the new one B\'s statement, C untouched', async () => {
	const out = czOk(['credentials', 'reset', B.id, '--letters', join(LETTERS, 'b'), '--site-url', BASE]);
	assert.match(out, /in force now: the new password/);
	b2 = csv(join(LETTERS, 'b')).get(B.id);
	assert.equal(b2.login, b.login, 'the reset keeps the login');
	assert.notEqual(b2.password, b.password, 'and gives a new password');
	await fourResults('without another nightly', cBefore);
});

test('rollback: the same four results', async () => {
	czOk(['rollback']);
	assert.match(await pageExport(), /^2021-12-29/, 'the second night is live again');
	// the generation before holds the same data for C (the third night is
	// the second one's export, a day later, with the same balance dates)
	await fourResults('after rollback', cBefore);
});

// SIGKILL in the middle of a reset of C, after its letters were written:
// before its commit (the old password stays) and after it, before the
// live switch (the new one comes into force).  Right after the kill and
// after the next command that takes the home's lock (which finishes or
// undoes it, access_live.h), exactly one of the two passwords opens.
for (const [point, want] of [['reset-before-commit', 'old'], ['reset-before-switch', 'new']]) {
	test(`SIGKILL at ${point}: exactly one of C's passwords opens, then the ${want} one`, async () => {
		const dir = join(LETTERS, point);
		const r = cz(['credentials', 'reset', C.id, '--letters', dir, '--site-url', BASE],
			{ CZYNSZE_TEST_KILL_AT: point });
		assert.equal(r.signal, 'SIGKILL', `killed (${r.out})`);
		const cNew = csv(dir).get(C.id);
		assert.ok(cNew.password && cNew.password !== c.password, 'the letters hold a new password');
		const which = async (when) => {
			const got = [await attempt(c), await attempt(cNew)];
			for (const g of got) {
				if (g.outcome === 'statement') {
					assert.equal(g.holder, C.holder, `${when}: C's name`);
					assert.deepEqual(g.cards, C.cards, `${when}: C's card`);
				} else {
					assert.equal(g.outcome, MSG_WRONG, `${when}: the refused one says "${MSG_WRONG}"`);
				}
			}
			const opens = got.map((g) => g.outcome === 'statement');
			assert.ok(opens[0] !== opens[1], `${when}: old ${opens[0] ? 'opens' : 'refused'}, ` +
				`new ${opens[1] ? 'opens' : 'refused'}: exactly one must open`);
			return opens[0] ? 'old' : 'new';
		};
		await which('right after the kill');
		czOk(['credentials', 'list']);
		assert.equal(await which('after the next command'), want);
		if (want === 'new') c = cNew;
	});
}
