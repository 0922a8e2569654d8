// czcrypto.js — the browser half of the bundle format (generator/bundle.h).
//
// Pure functions over WebCrypto and DecompressionStream, no DOM: login.js
// uses them in the page, tests/node/czcrypto.test.mjs runs the very same
// file under Node 20 against bundles the C code sealed.
//
//   secret = PBKDF2-HMAC-SHA256(password, salt, iterations, 32 bytes)
//   KEK    = HKDF-SHA256(secret, salt "", info "czynsze v1 kek")
//   token  = HKDF-SHA256(secret, salt "", info "czynsze v1 auth token"),
//            base64url without padding: the HTTP Basic password
//
// Bundle: "CZSB" | version 2 | L | login | iterations (u32 BE) | salt (16)
//         | wrap nonce (12) | wrapped data key (48) | body nonce (12) | body
// Body, once decrypted: exported_at (19, "YYYY-MM-DDTHH:MM:SS") | G |
//         generation id (G, hex) | gzip(statement)
// The AAD is rebuilt from the login typed, never read from the file.

const subtle = globalThis.crypto.subtle;
const utf8 = new TextEncoder();

export const VERSION = 2;
export const FRAGMENT_BYTES_MAX = 16 * 1024 * 1024;
const SALT_BYTES = 16;
const NONCE_BYTES = 12;
const WRAPPED_BYTES = 48;
const EXPORTED_AT_LEN = 19;
const GENERATION_MAX = 32;

// A failure the user should hear about as "wrong login or password".
export class WrongCredentials extends Error {}

export function canonLogin(typed) {
	return String(typed).trim().toLowerCase();
}

export function loginLooksValid(login) {
	return /^[a-z0-9]{1,32}$/.test(login);
}

// As bundle_password_canon(): upper case, no spaces or dashes; null if
// anything but ASCII letters and digits remains.
export function canonPassword(typed) {
	const s = String(typed).replace(/[\s-]/g, '').toUpperCase();
	return /^[A-Z0-9]{1,64}$/.test(s) ? s : null;
}

export function b64url(bytes) {
	let s = '';
	for (const b of bytes) s += String.fromCharCode(b);
	return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function unb64url(text) {
	const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
	const out = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
	return out;
}

export async function sha256hex(text) {
	const d = new Uint8Array(await subtle.digest('SHA-256', utf8.encode(text)));
	return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

// The salt shard's name for a login: site/auth/<first two hex>.json.
export async function shardFor(login) {
	const h = await sha256hex(login);
	return { hash: h, shard: h.slice(0, 2) };
}

// For a login the shard does not list: a salt that looks like any other,
// so an unknown login costs the same and fails like a wrong password.
export async function fakeSalt(login) {
	const d = await subtle.digest('SHA-256', utf8.encode('czynsze v1 fake salt:' + login));
	return new Uint8Array(d).slice(0, SALT_BYTES);
}

async function hkdf(secretKey, info) {
	return new Uint8Array(await subtle.deriveBits(
		{ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8.encode(info) },
		secretKey, 256));
}

// password: canonical (canonPassword).  Returns the KEK (a non-extractable
// AES-GCM key) and the token (base64url text).
export async function deriveKeys(password, salt, iterations) {
	const pw = await subtle.importKey('raw', utf8.encode(password), 'PBKDF2', false,
		['deriveBits']);
	const secret = await subtle.deriveBits(
		{ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, pw, 256);
	const hk = await subtle.importKey('raw', secret, 'HKDF', false, ['deriveBits']);
	const kekBytes = await hkdf(hk, 'czynsze v1 kek');
	const tokBytes = await hkdf(hk, 'czynsze v1 auth token');
	const kek = await subtle.importKey('raw', kekBytes, 'AES-GCM', false, ['decrypt']);
	kekBytes.fill(0);
	const token = b64url(tokBytes);
	tokBytes.fill(0);
	return { kek, token };
}

function parse(bytes, login) {
	if (bytes.length < 6 || String.fromCharCode(...bytes.slice(0, 4)) !== 'CZSB')
		throw new Error('not a czynsze bundle');
	if (bytes[4] !== VERSION) throw new Error('bundle format version ' + bytes[4]);
	const l = bytes[5];
	let p = 6 + l;
	const need = p + 4 + SALT_BYTES + NONCE_BYTES + WRAPPED_BYTES + NONCE_BYTES + 16;
	if (bytes.length < need) throw new Error('bundle truncated');
	const iterations = ((bytes[p] << 24) >>> 0) + (bytes[p + 1] << 16) + (bytes[p + 2] << 8) +
		bytes[p + 3];
	const salt = bytes.slice(p + 4, p + 4 + SALT_BYTES);
	p += 4 + SALT_BYTES;
	const wrapNonce = bytes.slice(p, p + NONCE_BYTES);
	const wrapped = bytes.slice(p + NONCE_BYTES, p + NONCE_BYTES + WRAPPED_BYTES);
	p += NONCE_BYTES + WRAPPED_BYTES;
	const bodyNonce = bytes.slice(p, p + NONCE_BYTES);
	const body = bytes.slice(p + NONCE_BYTES);
	// The AAD from the expected login, with the file's iterations and salt.
	const name = utf8.encode(login);
	const bodyAad = new Uint8Array(6 + name.length);
	bodyAad.set(utf8.encode('CZSB'), 0);
	bodyAad[4] = VERSION;
	bodyAad[5] = name.length;
	bodyAad.set(name, 6);
	const wrapAad = new Uint8Array(bodyAad.length + 4 + SALT_BYTES);
	wrapAad.set(bodyAad, 0);
	wrapAad.set(bytes.slice(6 + l, 6 + l + 4 + SALT_BYTES), bodyAad.length);
	return { iterations, salt, wrapNonce, wrapped, bodyNonce, body, bodyAad, wrapAad };
}

async function gunzip(bytes) {
	const reader = new Blob([bytes]).stream()
		.pipeThrough(new DecompressionStream('gzip')).getReader();
	const parts = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.length;
		if (total > FRAGMENT_BYTES_MAX) {
			await reader.cancel();
			throw new Error('statement too large');
		}
		parts.push(value);
	}
	const all = new Uint8Array(total);
	let o = 0;
	for (const v of parts) { all.set(v, o); o += v.length; }
	return new TextDecoder('utf-8', { fatal: true }).decode(all);
}

// The header sealed before the gzip bytes: { exportedAt, generation, used }.
function head(plain) {
	const ascii = (a) => String.fromCharCode(...a);
	if (plain.length < EXPORTED_AT_LEN + 1) throw new Error('bundle header truncated');
	const exportedAt = ascii(plain.slice(0, EXPORTED_AT_LEN));
	const g = plain[EXPORTED_AT_LEN];
	const generation = ascii(plain.slice(EXPORTED_AT_LEN + 1, EXPORTED_AT_LEN + 1 + g));
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(exportedAt) || g < 1 ||
	    g > GENERATION_MAX || !/^[0-9a-f]+$/.test(generation) || generation.length !== g)
		throw new Error('bundle header malformed');
	return { exportedAt, generation, used: EXPORTED_AT_LEN + 1 + g };
}

// The statement and the export it was sealed for, given the data key
// (raw bytes, e.g. from sessionStorage): { exportedAt, generation, fragment }.
export async function openBody(bytes, login, dataKey) {
	const b = parse(bytes, login);
	const key = await subtle.importKey('raw', dataKey, 'AES-GCM', false, ['decrypt']);
	let plain;
	try {
		plain = new Uint8Array(await subtle.decrypt(
			{ name: 'AES-GCM', iv: b.bodyNonce, additionalData: b.bodyAad }, key, b.body));
	} catch (err) {
		throw new WrongCredentials('body does not decrypt');
	}
	const h = head(plain);
	const fragment = await gunzip(plain.subarray(h.used));
	plain.fill(0);
	return { exportedAt: h.exportedAt, generation: h.generation, fragment };
}

// A bundle sealed for an export older than the one the page was made
// from (both "YYYY-MM-DDTHH:MM:SS", which order as text): an old bundle
// served again, never to be shown as today's statement.
export function olderThanPage(exportedAt, pageExportAt) {
	return typeof pageExportAt === 'string' && pageExportAt !== '' && exportedAt < pageExportAt;
}

// "2021-12-28T02:00:13" -> "28.12.2021", as the pages write dates.
export function plDate(exportedAt) {
	return exportedAt.slice(8, 10) + '.' + exportedAt.slice(5, 7) + '.' + exportedAt.slice(0, 4);
}

// The data key (raw bytes: wipe with fill(0) when done) and what openBody
// gives: { dataKey, exportedAt, generation, fragment }.
export async function openBundle(bytes, login, kek) {
	const b = parse(bytes, login);
	let dk;
	try {
		dk = new Uint8Array(await subtle.decrypt(
			{ name: 'AES-GCM', iv: b.wrapNonce, additionalData: b.wrapAad }, kek, b.wrapped));
	} catch (err) {
		throw new WrongCredentials('data key does not unwrap');
	}
	try {
		return { dataKey: dk, ...(await openBody(bytes, login, dk)) };
	} catch (err) {
		dk.fill(0);
		throw err;
	}
}

// The salt for login from a shard's JSON object (or a fake one).
export async function saltFrom(shardJson, hash, login) {
	const e = shardJson && Object.prototype.hasOwnProperty.call(shardJson, hash) ?
		shardJson[hash] : null;
	if (e && typeof e.salt === 'string' && Number.isInteger(e.iterations) &&
	    e.iterations >= 600000 && e.iterations <= 100000000)
		return { salt: unb64url(e.salt), iterations: e.iterations, known: true };
	return { salt: await fakeSalt(login), iterations: 600000, known: false };
}

// A resident's document (generator/docseal.h): "CZSD" | 1 | L | login |
// token (32, ASCII hex: the file's own name) | key check (8) | nonce (12)
// | AES-GCM(data key, PDF), AAD everything before the nonce.  The login
// and token are those the page asked for; a file of another resident or
// another name does not open.  key: a CryptoKey for AES-GCM decrypt
// (documentKey).  Returns the PDF's bytes.
export const DOCUMENT_BYTES_MAX = 20 * 1024 * 1024;
const DOC_TOKEN_LEN = 32;
const DOC_CHECK_BYTES = 8;

export async function documentKey(dataKey) {
	return subtle.importKey('raw', dataKey, 'AES-GCM', false, ['decrypt']);
}

export async function openDocument(bytes, login, token, key) {
	const head = utf8.encode('CZSD');
	const l = bytes.length > 5 ? bytes[5] : 0;
	const aadEnd = 6 + l + DOC_TOKEN_LEN + DOC_CHECK_BYTES;
	const expect = utf8.encode(login + token);
	if (bytes.length < aadEnd + NONCE_BYTES + 16 || !head.every((b, i) => bytes[i] === b) ||
	    bytes[4] !== 1 || l !== login.length ||
	    !expect.every((b, i) => bytes[6 + i] === b) ||
	    bytes.length - aadEnd - NONCE_BYTES - 16 > DOCUMENT_BYTES_MAX)
		throw new WrongCredentials('not this resident\'s document');
	try {
		return new Uint8Array(await subtle.decrypt(
			{ name: 'AES-GCM', iv: bytes.subarray(aadEnd, aadEnd + NONCE_BYTES),
				additionalData: bytes.subarray(0, aadEnd) },
			key, bytes.subarray(aadEnd + NONCE_BYTES)));
	} catch (err) {
		throw new WrongCredentials('document does not decrypt');
	}
}
