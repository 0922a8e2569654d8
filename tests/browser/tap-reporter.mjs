// tap-reporter.mjs — a node:test reporter that continues the TAP stream of
// tests/t0500-browser.sh: the shell script prints its own setup steps as
// tests 1..K and passes K in CZ_TAP_START; this reporter numbers the browser
// tests from K+1 (top-level tests only, one line each, the file's name in
// front), prints a failure's message and stack as TAP comments, and ends
// the stream with the plan "1..N".  prove reads it as one test script.
//
//   node --test --test-reporter=./tap-reporter.mjs *.test.mjs
import { basename } from 'node:path';

const comment = (text) => String(text).replace(/\s+$/, '').split('\n').map((l) => '# ' + l).join('\n') + '\n';

function describeError(err) {
	if (!err) return '';
	// node:test wraps the thrown error: ERR_TEST_FAILURE with .cause.
	const e = err.cause || err;
	const lines = [];
	lines.push(e.message || String(e));
	if (e.stack) {
		const frames = String(e.stack).split('\n').filter((l) => /^\s+at /.test(l) && !/node:internal|node_modules/.test(l));
		lines.push(...frames.slice(0, 4));
	}
	return lines.join('\n');
}

export default async function* tap(source) {
	let n = Number(process.env.CZ_TAP_START || 0);
	let failed = 0;
	for await (const ev of source) {
		const d = ev.data || {};
		switch (ev.type) {
		case 'test:pass':
		case 'test:fail': {
			if (d.nesting !== 0) break;
			n++;
			const file = d.file ? basename(d.file) : '';
			const name = file && d.name !== d.file ? `${file}: ${d.name}` : d.name;
			let directive = '';
			if (d.skip !== undefined && d.skip !== false) directive = ` # SKIP ${d.skip === true ? '' : d.skip}`;
			else if (d.todo !== undefined && d.todo !== false) directive = ` # TODO ${d.todo === true ? '' : d.todo}`;
			const good = ev.type === 'test:pass';
			if (!good && !directive) failed++;
			yield `${good ? 'ok' : 'not ok'} ${n} - ${name.replace(/#/g, '\\#')}${directive}\n`;
			if (!good) yield comment(describeError(d.details && d.details.error));
			break;
		}
		case 'test:stdout':
		case 'test:stderr':
			yield comment(d.message);
			break;
		case 'test:diagnostic':
			if (d.nesting === 0) yield comment(d.message);
			break;
		default:
			break;
		}
	}
	yield `1..${n}\n`;
	if (failed) yield `# ${failed} browser test(s) failed\n`;
}
