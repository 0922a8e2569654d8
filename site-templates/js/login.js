// login.js — the login page: derive, fetch, decrypt, show the statement.
//
// Load as <script type="module" src="js/login.js"></script> (same origin,
// no inline script: works under script-src 'self').  The page provides:
//   form#login-form with input#login, input#password, input#stay (checkbox),
//   div#login-error (role="alert"), div#statement-root, button#logout, and
//   optionally section#login-section around the form, hidden with it.
// The site root is taken from this file's URL (js/ sits in the root), so
// the page itself may live anywhere in the site.
//
// What is kept: with #stay checked, sessionStorage (this tab only, gone
// when it closes) holds the login, the data key and the auth token under
// "czynsze.session" — never the password, never localStorage.  Logout
// clears the statement, the storage and every variable holding a key.
// Without #stay the statement goes when the page is hidden (pagehide:
// another page opened in the tab, the tab closed), so that Back, which
// may restore the page from the back-forward cache, shows the login form;
// with #stay the page comes back as it was.
//
// Documents: the statement lists the resident's documents, each with a
// button.doc-open[data-doc=TOKEN][data-doc-name=FILE.pdf].  Only when one
// is pressed is r/LOGIN[.V].dTOKEN.bin fetched (same HTTP auth as the
// bundle), decrypted with the data key (kept while the statement is
// shown, as a non-extractable CryptoKey, in memory only) and offered as a
// Blob URL: a link that saves it under its file name and one that shows
// it in a new tab.  Logout and pagehide (without #stay) drop the key and
// revoke the Blob URLs.
//
// Freshness: the bundle carries, sealed inside it, the export it was made
// from (czcrypto.js).  Its date is the statement's "as of" date
// (span.export-date); a bundle older than the export the page was
// generated from (data-export-at) is refused with MSG_OLD.
import * as cz from './czcrypto.js';

const ROOT = new URL('../', import.meta.url);
const STORE = 'czynsze.session';
const MSG_WRONG = 'Nieprawidłowy login lub hasło.';
const MSG_NETWORK = 'Nie udało się połączyć z serwisem. Sprawdź połączenie z internetem ' +
	'i spróbuj ponownie.';
const MSG_TOO_MANY = 'Zbyt wiele prób logowania. Odczekaj chwilę i spróbuj ponownie.';
const MSG_BROWSER = 'Ta przeglądarka nie obsługuje bezpiecznego logowania. ' +
	'Zaktualizuj przeglądarkę lub użyj innej.';
const MSG_BUSY = 'Trwa logowanie…';
const MSG_OLD = (bundle, page) => 'Serwer przysłał Twoje rozliczenie z dnia ' + bundle +
	', starsze niż dane na tej stronie (z dnia ' + page + '). Nie pokazujemy go, bo mogłoby ' +
	'wprowadzić w błąd. Odśwież stronę za kilka minut. Jeśli ten komunikat się powtórzy, ' +
	'zgłoś to w spółdzielni.';

class NetworkTrouble extends Error {}
class TooMany extends Error {}
// A bundle sealed for an export older than the page's (replayed).
class OldBundle extends Error {
	constructor(exportedAt, pageAt) {
		super('bundle of ' + exportedAt + ', page of ' + pageAt);
		this.text = MSG_OLD(cz.plDate(exportedAt), cz.plDate(pageAt));
	}
}

const $ = (id) => document.getElementById(id);

const MSG_DOC_BUSY = 'Pobieranie i odszyfrowywanie dokumentu…';
const MSG_DOC_READY = (title) => 'Dokument „' + title + '” jest gotowy: zapisz go albo ' +
	'pokaż w przeglądarce.';
const MSG_DOC_MISSING = 'Tego dokumentu nie ma jeszcze w serwisie. Spróbuj jutro; jeśli ' +
	'to się powtórzy, zapytaj w spółdzielni.';
const MSG_DOC_AUTH = 'Sesja wygasła. Wyloguj się i zaloguj ponownie, aby otworzyć dokument.';

// What opening a document needs while the statement is shown:
// { login, token, v, key (CryptoKey) }, or null.
let docAccess = null;
let blobUrls = [];

function say(text) {
	const box = $('login-error');
	if (box) {
		box.textContent = text;
		box.hidden = text === '';
	}
}

async function get(url, init) {
	let r;
	try {
		r = await fetch(url, { credentials: 'omit', cache: 'no-store', redirect: 'error', ...init });
	} catch (err) {
		throw new NetworkTrouble(String(err));
	}
	return r;
}

async function saltFor(login) {
	const { hash, shard } = await cz.shardFor(login);
	const r = await get(new URL('auth/' + shard + '.json', ROOT), { cache: 'no-cache' });
	let json = null;
	if (r.ok) {
		try { json = await r.json(); } catch (err) { json = null; }
	} else if (r.status !== 404) {
		throw new NetworkTrouble('salt: HTTP ' + r.status);
	}
	// v: the key version after resets; the bundle is r/LOGIN.v.bin (docs/security.md)
	const entry = json && Object.hasOwn(json, hash) ? json[hash] : null;
	const v = entry && Number.isInteger(entry.v) && entry.v > 1 && entry.v <= 1e9 ? entry.v : 1;
	return { ...(await cz.saltFrom(json, hash, login)), v };
}

async function fetchBundle(login, token, v) {
	const r = await get(new URL('r/' + login + (v > 1 ? '.' + v : '') + '.bin', ROOT), {
		headers: { Authorization: 'Basic ' + btoa(login + ':' + token) },
	});
	if (r.status === 401 || r.status === 403 || r.status === 404)
		throw new cz.WrongCredentials('HTTP ' + r.status);
	if (r.status === 429) throw new TooMany();
	if (!r.ok) throw new NetworkTrouble('bundle: HTTP ' + r.status);
	return new Uint8Array(await r.arrayBuffer());
}

// The export the page was generated from ("" when it does not say).
function pageExportAt() {
	const el = document.querySelector('[data-export-at]');
	return el ? el.getAttribute('data-export-at') : '';
}

// Throws OldBundle when the opened bundle is older than the page.
function fresh(opened) {
	const pageAt = pageExportAt();
	if (cz.olderThanPage(opened.exportedAt, pageAt)) throw new OldBundle(opened.exportedAt, pageAt);
}

// Bumped on pagehide: a login still running then must not show its
// statement in a page that was left (and may come back from the cache).
let epoch = 0;

// Parses the fragment inertly and moves its nodes into the page.  Nothing
// in it runs: DOMParser documents have scripting disabled, scripts and
// active elements are dropped, and so are on* attributes and javascript: URLs.
// The "as of" dates left empty in it get the date sealed with it.
function show({ fragment, exportedAt }) {
	// DOMParser: a document without a browsing context, scripting disabled.
	const doc = new DOMParser().parseFromString(
		'<!DOCTYPE html><html><head></head><body>' + fragment + '</body></html>', 'text/html');
	const content = doc.body;
	content.querySelectorAll('script, iframe, frame, object, embed, link, meta, base')
		.forEach((n) => n.remove());
	content.querySelectorAll('*').forEach((el) => {
		for (const a of Array.from(el.attributes)) {
			const v = a.value.trim().toLowerCase();
			if (a.name.startsWith('on') || a.name === 'srcdoc' || v.startsWith('javascript:'))
				el.removeAttribute(a.name);
		}
	});
	content.querySelectorAll('.export-date').forEach((el) => {
		if (!el.textContent) el.textContent = cz.plDate(exportedAt);
	});
	const nodes = document.createDocumentFragment();
	for (const n of Array.from(content.childNodes)) nodes.appendChild(document.importNode(n, true));
	const root = $('statement-root');
	root.replaceChildren(nodes);
	root.hidden = false;
	$('login-form').hidden = true;
	const section = $('login-section');
	if (section) section.hidden = true;
	const out = $('logout');
	if (out) out.hidden = false;
	document.dispatchEvent(new CustomEvent('czynsze:statement-shown'));
	// The statement replaced the form: bring the reader to it (on a phone
	// it starts below the menu; a screen reader hears the holder's name).
	const start = root.querySelector('.holder, h2') || root;
	start.setAttribute('tabindex', '-1');
	start.focus();
}

function dropDocuments() {
	docAccess = null;
	for (const u of blobUrls) URL.revokeObjectURL(u);
	blobUrls = [];
}

function docSay(text) {
	const box = document.querySelector('#statement-root .doc-status');
	if (box) box.textContent = text;
}

async function openDocument(button) {
	const token = button.getAttribute('data-doc') || '';
	const name = button.getAttribute('data-doc-name') || '';
	const title = (button.closest('tr')?.querySelector('th')?.textContent || name).trim();
	const access = docAccess;
	if (!access || !/^[0-9a-f]{32}$/.test(token) || !/^[A-Za-z0-9._-]+\.pdf$/.test(name)) return;
	button.disabled = true;
	docSay(MSG_DOC_BUSY);
	try {
		const url = new URL('r/' + access.login + (access.v > 1 ? '.' + access.v : '') + '.d' +
			token + '.bin', ROOT);
		const r = await get(url, {
			headers: { Authorization: 'Basic ' + btoa(access.login + ':' + access.token) },
		});
		if (r.status === 404) { docSay(MSG_DOC_MISSING); return; }
		if (r.status === 401 || r.status === 403) { docSay(MSG_DOC_AUTH); return; }
		if (!r.ok) throw new NetworkTrouble('document: HTTP ' + r.status);
		const pdf = await cz.openDocument(new Uint8Array(await r.arrayBuffer()), access.login,
			token, access.key);
		if (access !== docAccess) return;       /* logged out meanwhile */
		const blobUrl = URL.createObjectURL(new Blob([pdf], { type: 'application/pdf' }));
		blobUrls.push(blobUrl);
		const cell = button.parentElement;
		cell.querySelectorAll('a.doc-link').forEach((a) => a.remove());
		const save = document.createElement('a');
		save.className = 'doc-link';
		save.href = blobUrl;
		save.download = name;
		save.textContent = 'Zapisz plik';
		save.setAttribute('aria-label', 'Zapisz plik ' + name);
		const show = document.createElement('a');
		show.className = 'doc-link';
		show.href = blobUrl;
		show.target = '_blank';
		show.rel = 'noopener';
		show.textContent = 'Pokaż';
		show.setAttribute('aria-label', 'Pokaż dokument: ' + title + ' (nowa karta)');
		cell.append(save, show);
		docSay(MSG_DOC_READY(title));
		save.focus();
	} catch (err) {
		docSay(err instanceof cz.WrongCredentials ? MSG_DOC_AUTH : MSG_NETWORK);
	} finally {
		button.disabled = false;
	}
}

function forget() {
	dropDocuments();
	try { sessionStorage.removeItem(STORE); } catch (err) { /* storage off */ }
	const root = $('statement-root');
	if (root) {
		root.replaceChildren();
		root.hidden = true;
	}
	const form = $('login-form');
	const section = $('login-section');
	if (section) section.hidden = false;
	if (form) {
		form.reset();
		form.hidden = false;
	}
	const out = $('logout');
	if (out) out.hidden = true;
	say('');
}

function supported() {
	return !!(globalThis.crypto && globalThis.crypto.subtle && globalThis.DecompressionStream &&
		globalThis.fetch && globalThis.DOMParser);
}

async function login(ev) {
	ev.preventDefault();
	const form = $('login-form');
	const button = form.querySelector('button[type="submit"], input[type="submit"]');
	if (!supported()) { say(MSG_BROWSER); return; }
	const loginName = cz.canonLogin($('login').value);
	const password = cz.canonPassword($('password').value);
	const stay = $('stay') && $('stay').checked;
	if (button) button.disabled = true;
	say(MSG_BUSY);
	const started = epoch;
	let dataKey = null;
	try {
		if (!cz.loginLooksValid(loginName) || password === null)
			throw new cz.WrongCredentials('malformed');
		const { salt, iterations, v } = await saltFor(loginName);
		const { kek, token } = await cz.deriveKeys(password, salt, iterations);
		const bytes = await fetchBundle(loginName, token, v);
		const opened = await cz.openBundle(bytes, loginName, kek);
		dataKey = opened.dataKey;
		fresh(opened);
		const key = await cz.documentKey(dataKey);
		if (started !== epoch) return;  /* the page was left meanwhile */
		try {
			if (stay) {
				sessionStorage.setItem(STORE, JSON.stringify(
					{ login: loginName, key: cz.b64url(dataKey), token, v }));
			} else {
				sessionStorage.removeItem(STORE);
			}
		} catch (err) { /* storage disabled: stay logged in is simply off */ }
		$('password').value = '';
		say('');
		dropDocuments();
		docAccess = { login: loginName, token, v, key };
		show(opened);
	} catch (err) {
		say(err instanceof cz.WrongCredentials ? MSG_WRONG : err instanceof OldBundle ? err.text :
			err instanceof TooMany ? MSG_TOO_MANY : MSG_NETWORK);
	} finally {
		if (dataKey) dataKey.fill(0);
		if (button) button.disabled = false;
	}
}

async function restore() {
	let saved = null;
	try { saved = JSON.parse(sessionStorage.getItem(STORE) || 'null'); } catch (err) { saved = null; }
	if (!saved || !supported()) return;
	let key = null;
	try {
		key = cz.unb64url(saved.key);
		const bytes = await fetchBundle(saved.login, saved.token, saved.v);
		const opened = await cz.openBody(bytes, saved.login, key);
		fresh(opened);
		dropDocuments();
		docAccess = { login: saved.login, token: saved.token, v: saved.v,
			key: await cz.documentKey(key) };
		show(opened);
	} catch (err) {
		forget();
		if (err instanceof OldBundle) say(err.text);
		else if (!(err instanceof cz.WrongCredentials)) say(MSG_NETWORK);
	} finally {
		if (key) key.fill(0);
	}
}

function staying() {
	try { return sessionStorage.getItem(STORE) !== null; } catch (err) { return false; }
}

function start() {
	const form = $('login-form');
	if (!form) return;
	form.addEventListener('submit', login);
	// Without "stay logged in": nothing of the statement survives leaving
	// the page, whether it is discarded or kept in the back-forward cache.
	window.addEventListener('pagehide', () => {
		epoch++;
		if (!staying()) forget();
	});
	const root = $('statement-root');
	if (root) root.addEventListener('click', (ev) => {
		const button = ev.target instanceof Element ? ev.target.closest('button.doc-open') : null;
		if (button && root.contains(button)) openDocument(button);
	});
	const out = $('logout');
	if (out) out.addEventListener('click', () => {
		forget();
		const field = $('login');
		if (field) field.focus();
	});
	restore();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
