// czcrypto.test.mjs — the browser's crypto (site-templates/js/czcrypto.js,
// the very file the page loads) against a bundle sealed by the C code.
//
// node czcrypto.test.mjs BUNDLE LOGIN PASSWORD SITE_DIR HTPASSWD EXPECTED_FRAGMENT OTHER_PASSWORD
//     EXPORTED_AT GENERATION   (what the bundle's sealed header must say)
// Prints TAP.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [bundlePath, login, password, site, htpasswd, expectedPath, otherPassword, exportedAt,
	generation] = process.argv.slice(2);

// czcrypto.js is an ES module served as .js; Node needs .mjs to load it as one.
const tmp = mkdtempSync(join(tmpdir(), 'czcrypto-'));
const copy = join(tmp, 'czcrypto.mjs');
writeFileSync(copy, readFileSync(join(here, '../../site-templates/js/czcrypto.js')));
const cz = await import(copy);
rmSync(tmp, { recursive: true });

let n = 0, failed = 0;
const ok = (cond, name) => {
	n++;
	console.log(`${cond ? 'ok' : 'not ok'} ${n} - ${name}`);
	if (!cond) failed++;
};

const bytes = new Uint8Array(readFileSync(bundlePath));
const expected = readFileSync(expectedPath, 'utf8');
console.log('1..14');

const { hash, shard } = await cz.shardFor(login);
const shardJson = JSON.parse(readFileSync(join(site, 'auth', shard + '.json'), 'utf8'));
const found = await cz.saltFrom(shardJson, hash, login);
ok(found.known && found.iterations === 600000, 'the salt shard lists the login');
const unknown = await cz.saltFrom(shardJson, 'f'.repeat(64), 'nosuchlogin');
ok(!unknown.known && unknown.salt.length === 16, 'an unknown login gets a fake salt');

const pw = cz.canonPassword(password.toLowerCase().replace(/-/g, ' '));
const { kek, token } = await cz.deriveKeys(pw, found.salt, found.iterations);
const opened = await cz.openBundle(bytes, login, kek);
ok(opened.fragment === expected, 'WebCrypto opens the C bundle: the same fragment');
ok(opened.exportedAt === exportedAt && opened.generation === generation,
	`the sealed header names the export (${opened.exportedAt} ${opened.generation})`);
const body = await cz.openBody(bytes, login, opened.dataKey);
ok(body.fragment === expected && body.exportedAt === exportedAt,
	'the kept data key alone opens the body and its header (stay logged in)');
ok(!cz.olderThanPage(exportedAt, exportedAt) && cz.olderThanPage(exportedAt, '2099-01-01T00:00:00') &&
	!cz.olderThanPage('2099-01-01T00:00:00', exportedAt),
	'a bundle older than the page is told apart; the same or a newer one is not');
ok(cz.plDate('2021-12-28T02:00:13') === '28.12.2021', 'the date as the pages write it');

// The token nginx and Apache check: {SHA} = base64(SHA-1(token)).
const line = readFileSync(htpasswd, 'utf8').split('\n').find((l) => l.startsWith(login + ':'));
const raw = Buffer.from(line.slice(login.length + 1 + '{SHA}'.length), 'base64');
const ssha = (secret) => createHash('sha1').update(secret).digest();
ok(ssha(token).equals(raw.subarray(0, 20)), 'the htpasswd entry verifies the derived token');
ok(!ssha(password).equals(raw.subarray(0, 20)) && !ssha(pw).equals(raw.subarray(0, 20)),
	'... and not the raw password');

const wrong = await cz.deriveKeys(cz.canonPassword(otherPassword), found.salt, found.iterations);
let threw = null;
try { await cz.openBundle(bytes, login, wrong.kek); } catch (e) { threw = e; }
ok(threw instanceof cz.WrongCredentials, 'another password fails as WrongCredentials');
threw = null;
try { await cz.openBundle(bytes, login + 'x', kek); } catch (e) { threw = e; }
ok(threw instanceof cz.WrongCredentials, 'another login (AAD) fails');
const bad = bytes.slice();
bad[bad.length - 1] ^= 1;
threw = null;
try { await cz.openBundle(bad, login, kek); } catch (e) { threw = e; }
ok(threw !== null, 'an altered bundle fails');
const v1 = bytes.slice();
v1[4] = 1;
threw = null;
try { await cz.openBundle(v1, login, kek); } catch (e) { threw = e; }
ok(threw !== null && /version 1/.test(threw.message), 'format version 1 (no sealed header) is refused');
process.exit(failed ? 1 : 0);
