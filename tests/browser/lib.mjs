// lib.mjs — shared helpers of the browser tests (tests/browser/*.test.mjs).
//
// tests/t0500-browser.sh generates the site from the fixtures, serves it
// with the project's nginx configuration and sets:
//   CZ_BASE_URL      http://127.0.0.1:PORT/ (the site root, trailing slash)
//   CZ_CREDENTIALS   the credentials.csv of `czynsze credentials issue`
//   CZ_SCREENSHOTS   the folder for screenshots (not committed)
//   CZ_CHROMIUM      the browser (Debian's /usr/bin/chromium)
//
// Each test file launches one Chromium and opens a fresh context (its own
// cookies, storage, cache) per scenario.  Every page opened through open()
// records what the tests need to judge it: every request, navigations,
// dialogs, console errors, CSP violations, and whether the browser ever
// wanted to show its native HTTP authentication prompt.
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const env = (name) => {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set: run the browser tests through tests/t0500-browser.sh`);
	return v;
};

export const BASE = env('CZ_BASE_URL');
export const ORIGIN = new URL(BASE).origin;
export const SHOTS = env('CZ_SCREENSHOTS');
export const MSG_WRONG = 'Nieprawidłowy login lub hasło.';
export const PUBLIC_PAGES = ['index.html', 'regulamin.html', 'rodo.html', 'dostepnosc.html',
	'dostep.html', 'komunikaty.html', 'dokumenty.html'];

// The browser's own switches: no GPU, and none of Chromium's background
// traffic (updates, sync, safe browsing lists), which this machine's closed
// network refuses and which would also spoil the "no request outside the
// site" check.  Playwright adds --headless, --no-sandbox (chromiumSandbox is
// false by default; we run as root) and a fresh temporary --user-data-dir
// of its own, which it deletes on close (it refuses one in args).
const FLAGS = ['--disable-gpu', '--disable-background-networking', '--disable-component-update',
	'--disable-sync', '--no-first-run', '--disable-quic', '--no-default-browser-check'];

// bfcache: true turns the back-forward cache back on, as residents have
// it (Playwright passes --disable-back-forward-cache by default).
export async function launch({ bfcache = false } = {}) {
	return chromium.launch({
		executablePath: process.env.CZ_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		chromiumSandbox: false,
		args: FLAGS,
		...(bfcache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
	});
}

// credentials.csv: ';'-separated, UTF-8 with BOM, "..." quoting with "".
function parseCsv(text) {
	const rows = [];
	let row = [], field = '', quoted = false;
	text = text.replace(/^\uFEFF/, '');
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
			else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ';') { row.push(field); field = ''; }
		else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			row.push(field); rows.push(row); row = []; field = '';
		} else field += c;
	}
	if (field !== '' || row.length) { row.push(field); rows.push(row); }
	return rows;
}

// credentialsFrom(path) -> Map id -> { id, name, login, password }: the
// rows of a letters batch's credentials.csv.
export function credentialsFrom(path) {
	const [head, ...rows] = parseCsv(readFileSync(path, 'utf8'));
	const col = (n) => head.indexOf(n);
	return new Map(rows.filter((r) => r.length > 1).map((r) => [r[col('id_osoby')], {
		id: r[col('id_osoby')], name: r[col('adresat')],
		login: r[col('login')], password: r[col('haslo')],
	}]));
}

let creds = null;
// who('O0001') -> { id, name, login, password } from the letters' CSV.
export function who(id) {
	if (!creds) creds = credentialsFrom(env('CZ_CREDENTIALS'));
	const c = creds.get(id);
	if (!c || !c.login || !c.password) throw new Error(`no credentials for ${id} in the CSV`);
	return c;
}

// open(browser, contextOptions) -> { context, page, log }.
// log.requests: every request of the context ({url, method, navigation});
// log.dialogs, log.consoleErrors, log.pageErrors, log.authPrompts (each a
// URL for which Chromium asked for HTTP credentials, i.e. would have shown
// its login dialog); page.cspViolations() reads the page's
// securitypolicyviolation events.
export async function open(browser, { watchAuth = true, ...options } = {}) {
	const context = await browser.newContext({ locale: 'pl-PL', ...options });
	const log = { requests: [], dialogs: [], consoleErrors: [], pageErrors: [], authPrompts: [] };
	context.on('request', (r) => log.requests.push({
		url: r.url(), method: r.method(), navigation: r.isNavigationRequest(),
	}));
	// Runs before any page script, through DevTools (outside the page's CSP).
	await context.addInitScript(() => {
		window.__csp = [];
		document.addEventListener('securitypolicyviolation', (e) => {
			window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
		});
	});
	const page = await context.newPage();
	page.on('dialog', (d) => { log.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
	page.on('console', (m) => { if (m.type() === 'error') log.consoleErrors.push(m.text()); });
	page.on('pageerror', (e) => log.pageErrors.push(String(e)));
	if (watchAuth) await watchAuthPrompts(context, page, log);
	page.cspViolations = () => page.evaluate(() => window.__csp || []);
	return { context, page, log };
}

// Chromium asks its embedder for credentials (the native dialog, in a
// headful browser) when a response is a 401 with a Basic challenge and the
// request may prompt.  Over DevTools that moment is Fetch.authRequired,
// raised for intercepted requests when handleAuthRequests is on: we let
// every request through unchanged, note each prompt and cancel it (which
// is what a person pressing "Cancel" does).  Playwright itself intercepts
// only with routes or httpCredentials, which these tests never set.
async function watchAuthPrompts(context, page, log) {
	const cdp = await context.newCDPSession(page);
	cdp.on('Fetch.requestPaused', (ev) => {
		cdp.send('Fetch.continueRequest', { requestId: ev.requestId }).catch(() => {});
	});
	cdp.on('Fetch.authRequired', (ev) => {
		log.authPrompts.push(ev.request.url);
		cdp.send('Fetch.continueWithAuth', {
			requestId: ev.requestId, authChallengeResponse: { response: 'CancelAuth' },
		}).catch(() => {});
	});
	await cdp.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
	page.cdp = cdp;
}

// Fills the login form and waits for the outcome: the statement shown, or
// a message other than the "busy" one.  Returns 'statement' or the message.
export async function login(page, { login, password }, { stay = false, goto = true } = {}) {
	if (goto) await page.goto(BASE);
	await page.fill('#login', login);
	await page.fill('#password', password);
	if (stay) await page.check('#stay');
	await page.click('#login-form button[type="submit"]');
	await page.waitForFunction(() => {
		const root = document.getElementById('statement-root');
		const err = document.getElementById('login-error');
		const busy = document.querySelector('#login-form button[type="submit"]').disabled;
		return (root && !root.hidden) || (!busy && err && err.textContent && !/Trwa/.test(err.textContent));
	}, null, { timeout: 30000 });
	return page.evaluate(() => document.getElementById('statement-root').hidden ?
		document.getElementById('login-error').textContent.trim() : 'statement');
}

// Only requests to the site itself (the page, its files, the salt shard
// and the resident's bundle): returns the ones that are not.
export function foreignRequests(log) {
	return log.requests.map((r) => r.url).filter((u) => new URL(u).origin !== ORIGIN);
}

// Visible text as a person reads it, no-break spaces (between amount and
// "zł", in thousands) as plain spaces.
export const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ');
export async function textOf(locator) {
	return plain(await locator.innerText());
}
export function statementText(page) {
	return textOf(page.locator('#statement-root'));
}

// NAME.png, the whole page, and NAME-top.png, the first screen (what a
// person sees before scrolling).  Returns the first path.
export async function screenshot(page, name) {
	mkdirSync(SHOTS, { recursive: true });
	const path = join(SHOTS, name + '.png');
	await page.screenshot({ path, fullPage: true });
	await page.screenshot({ path: join(SHOTS, name + '-top.png') });
	return path;
}

// The site's text size as the browser's own setting (Settings → Appearance
// → Font size), which is what rem/em-based CSS must follow: Chromium's
// default of 16 px becomes 32 px, i.e. 200 % text, while the CSS viewport
// keeps its width (unlike page zoom, which also shrinks the viewport in
// CSS pixels and so tests reflow rather than text size).
export async function setTextSize(page, percent) {
	const px = Math.round(16 * percent / 100);
	if (!page.cdp) page.cdp = await page.context().newCDPSession(page);
	await page.cdp.send('Page.setFontSizes', { fontSizes: { standard: px, fixed: Math.round(13 * percent / 100) } });
}

// The page scrolls sideways as a whole (tables scroll inside their own
// .table-wrap, which does not count).
export function pageOverflow(page) {
	return page.evaluate(() => {
		const d = document.documentElement;
		return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, overflow: d.scrollWidth > d.clientWidth };
	});
}

// axe-core: the page's CSP (script-src 'self') blocks an inline or
// foreign <script> (page.addScriptTag), and bypassCSP would switch off the
// very policy under test; so the library's source is evaluated over
// DevTools (Runtime.evaluate, which CSP does not govern), once per document.
const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export async function axe(page, label) {
	if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
	const result = await page.evaluate((tags) => window.axe.run(document, {
		runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'],
	}), AXE_TAGS);
	const lines = [];
	for (const v of result.violations) {
		lines.push(`${label}: ${v.id} (${v.impact}) — ${v.help} [${v.helpUrl}]`);
		for (const n of v.nodes.slice(0, 5))
			lines.push(`    ${n.target.join(' ')}  ${n.html.slice(0, 200)}\n      ${(n.failureSummary || '').replace(/\n/g, ' ')}`);
	}
	return { violations: result.violations, report: lines.join('\n'), passes: result.passes.length };
}
