// http.test.mjs — the HTTP side of the generated site behind the generated
// nginx configuration, with the token as the browser derives it.
// tests/t0210-nginx.sh covers the same rules on a hand-sealed site with
// the token from tests/czynsze-token.py; this adds what only the real
// `czynsze generate` output and a real browser login give: every public
// file carrying the security headers, no listing of any folder of the
// generated site, and 401/403/200 with the browser's own token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { BASE, PUBLIC_PAGES, launch, open, login, who } from './lib.mjs';

const SITE = process.env.CZ_SITE;
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const get = (path, init = {}) => fetch(BASE + path, { redirect: 'manual', ...init });
const basic = (user, pass) => ({ headers: { Authorization: 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64') } });

// The token the browser derived and keeps in sessionStorage ("stay").
async function browserToken(id) {
	const { context, page } = await open(browser);
	assert.equal(await login(page, who(id), { stay: true }), 'statement');
	const saved = JSON.parse(await page.evaluate(() => sessionStorage.getItem('czynsze.session')));
	await context.close();
	return saved.token;
}

test('every public file of the generated site carries the security headers', async () => {
	const files = [...PUBLIC_PAGES, '', ...readdirSync(`${SITE}/js`).map((f) => 'js/' + f),
		...readdirSync(`${SITE}/css`).map((f) => 'css/' + f), 'auth/00.json'];
	for (const f of files) {
		const r = await get(f);
		assert.equal(r.status, 200, f);
		const h = r.headers;
		assert.match(h.get('content-security-policy') || '', /default-src 'self'; script-src 'self'/, `${f}: CSP`);
		assert.match(h.get('content-security-policy') || '', /frame-ancestors 'none'/, `${f}: CSP frames`);
		assert.match(h.get('strict-transport-security') || '', /max-age=\d+/, `${f}: HSTS`);
		assert.equal(h.get('referrer-policy'), 'no-referrer', `${f}: referrer`);
		assert.equal(h.get('x-content-type-options'), 'nosniff', `${f}: nosniff`);
		assert.equal(h.get('server'), 'nginx', `${f}: no version in Server`);
		if (f.endsWith('.js')) assert.match(h.get('content-type'), /javascript/, `${f}: a script type (nosniff)`);
		if (f.endsWith('.css')) assert.match(h.get('content-type'), /text\/css/, `${f}: text/css (nosniff)`);
		await r.arrayBuffer();
	}
});

test('no folder of the generated site is listed', async () => {
	for (const dir of ['js/', 'css/', 'auth/', 'r/']) {
		const r = await get(dir);
		assert.ok([401, 403, 404].includes(r.status), `${dir}: ${r.status}`);
		assert.ok(!/Index of/i.test(await r.text()), `${dir}: no listing`);
	}
});

test('bundles: 401 without credentials or with the raw password, 403 for another resident, 200 for the owner', async () => {
	const o1 = who('O0001'), o2 = who('O0002');
	const token1 = await browserToken('O0001');
	assert.match(token1, /^[A-Za-z0-9_-]{43}$/, 'the token is base64url of 32 bytes');
	const own = `r/${o1.login}.bin`, other = `r/${o2.login}.bin`;
	let r = await get(own);
	assert.equal(r.status, 401, 'no credentials');
	assert.match(r.headers.get('www-authenticate') || '', /^Basic/);
	assert.equal((await get(own, basic(o1.login, o1.password))).status, 401, 'the raw password');
	assert.equal((await get(own, basic(o1.login, o1.password.replace(/-/g, '')))).status, 401, 'the raw password, canonical');
	r = await get(other, basic(o1.login, token1));
	assert.equal(r.status, 403, 'another resident\'s bundle with valid credentials');
	r = await get(own, basic(o1.login, token1));
	assert.equal(r.status, 200, 'the own bundle');
	assert.equal(r.headers.get('cache-control'), 'no-store');
	assert.equal(r.headers.get('content-type'), 'application/octet-stream');
	const bytes = Buffer.from(await r.arrayBuffer());
	assert.equal(bytes.subarray(0, 4).toString('latin1'), 'CZSB');
});
