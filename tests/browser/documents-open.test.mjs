// documents-open.test.mjs — a resident's documents on the v2 site of t0270
// (skipped on t0500's v1 site): listed newest first, fetched only when
// opened, decrypted in the browser and saved under their own file name
// with the export's very bytes; another resident's document is 403 even
// with valid credentials; axe-core clean with the links shown; logout
// revokes the Blob URLs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch, open, login, who, axe, screenshot, BASE } from './lib.mjs';

const skip = process.env.CZ_FIXTURE === 'v2' ? false : 'needs the v2 site of t0270';
let browser;
before(async () => { if (!skip) browser = await launch(); });
after(async () => { await browser?.close(); });

const docRequests = (log) => log.requests.filter((r) => /\/r\/[a-z0-9.]+\.d[0-9a-f]{32}\.bin$/.test(r.url));

test('open a document: fetched only then, saved with its name and the export\'s bytes', { skip }, async () => {
	const { context, page, log } = await open(browser, { acceptDownloads: true });
	assert.equal(await login(page, who('O0001'), { stay: true }), 'statement');
	const table = page.locator('#statement-root #dokumenty table.documents-table');
	const rows = await table.locator('tbody tr').evaluateAll((trs) =>
		trs.map((tr) => Array.from(tr.cells, (c) => c.textContent.replace(/\u00a0/g, ' ')).slice(0, 4)));
	assert.deepEqual(rows, [
		['Pismo w sprawie wymiany wodomierza', 'pismo do mieszkańca', '02.11.2021', '1 KB'],
		['Zawiadomienie o zmianie wysokości opłat od 01.2022', 'zawiadomienie o zmianie opłat', '15.10.2021', '1 KB'],
	], 'newest first, kind and size in words');
	assert.equal(docRequests(log).length, 0, 'no document fetched before it is opened');
	const row = table.locator('tbody tr', { hasText: 'Zawiadomienie' });
	await row.getByRole('button', { name: /Otwórz dokument: Zawiadomienie/ }).click();
	const save = row.getByRole('link', { name: /Zapisz plik ZAW-2021-000451\.pdf/ });
	await save.waitFor({ timeout: 20000 });
	assert.equal(docRequests(log).length, 1, 'exactly the opened document was fetched');
	assert.match(await page.locator('#statement-root .doc-status').innerText(), /jest gotowy/);
	assert.match(await save.getAttribute('href'), /^blob:/);
	const [download] = await Promise.all([page.waitForEvent('download'), save.click()]);
	assert.equal(download.suggestedFilename(), 'ZAW-2021-000451.pdf');
	const got = readFileSync(await download.path());
	const want = readFileSync(join(process.env.CZ_EXPORT, 'dokumenty/2021/ZAW-2021-000451.pdf'));
	assert.ok(got.equals(want), 'the saved bytes are the export\'s PDF');
	const show = row.getByRole('link', { name: /Pokaż dokument/ });
	assert.equal(await show.getAttribute('target'), '_blank');
	const a = await axe(page, 'documents (O0001, one opened)');
	assert.equal(a.violations.length, 0, a.report);
	await screenshot(page, 'documents-O0001');

	// another resident's document, with O0001's own valid credentials: 403
	const other = who('O0006').login;
	const theirs = readdirSync(join(process.env.CZ_SITE, 'r')).find((f) => f.startsWith(other + '.d'));
	assert.ok(theirs, 'O0006 has a sealed document on the site');
	const status = await page.evaluate(async ([url]) => {
		const s = JSON.parse(sessionStorage.getItem('czynsze.session'));
		const r = await fetch(url, { headers: { Authorization: 'Basic ' + btoa(s.login + ':' + s.token) },
			cache: 'no-store' });
		return r.status;
	}, [new URL('r/' + theirs, BASE).href]);
	assert.equal(status, 403, 'another resident\'s document: 403');
	const mine = await page.evaluate(async ([url]) => (await fetch(url, { cache: 'no-store' })).status,
		[new URL('r/' + readdirSync(join(process.env.CZ_SITE, 'r')).find((f) => f.startsWith(who('O0001').login + '.d')), BASE).href]);
	assert.equal(mine, 401, 'the own document without credentials: 401');

	// logout: the Blob URL is revoked
	const blob = await save.getAttribute('href');
	await page.click('#logout');
	const after = await page.evaluate(async (u) => { try { await fetch(u); return 'read'; } catch { return 'gone'; } }, blob);
	assert.equal(after, 'gone', 'logout revokes the document\'s Blob URL');
	assert.deepEqual(log.pageErrors, []);
	await context.close();
});

test('public documents: linked from the login page, listed on "Dokumenty spółdzielni", opened without logging in', { skip }, async () => {
	const { context, page, log } = await open(browser);
	await page.goto(new URL('index.html', BASE).href);
	await page.getByRole('link', { name: /^Statut, uchwały i regulaminy/ }).click();
	await page.waitForURL(/dokumenty\.html$/);
	const item = page.locator('ul.public-documents li', { hasText: 'Statut Spółdzielni' });
	assert.match((await item.innerText()).replace(/\u00a0/g, ' '),
		/^Statut Spółdzielni — dokument spółdzielni z dnia 20\.06\.2020, plik PDF, 1 KB$/);
	const href = await item.locator('a').getAttribute('href');
	const r = await page.request.get(new URL(href, page.url()).href);
	assert.equal(r.status(), 200, 'no login needed');
	assert.match(r.headers()['content-type'], /^application\/pdf/);
	const want = readFileSync(join(process.env.CZ_EXPORT, 'dokumenty/ogolne/statut.pdf'));
	assert.ok((await r.body()).equals(want), 'the export\'s bytes');
	assert.equal(log.authPrompts.length, 0, 'no login prompt');
	const a = await axe(page, 'dokumenty.html');
	assert.equal(a.violations.length, 0, a.report);
	await context.close();
});
