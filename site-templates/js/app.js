/*
 * app.js — the page script (an ES module, like login.js and czcrypto.js;
 * no data, no network).
 *
 * 1. "Ułatwienia dostępu": the buttons #a11y-larger and #a11y-contrast
 *    toggle the classes text-large / contrast-high on <html>; the choice
 *    is remembered in localStorage under "czynsze.prefs" (preferences
 *    only, never any data from the statement).
 * 2. The statement's pickers: in every card, select.year-picker shows one
 *    year of the ledger (or all) and select.month-picker the charge
 *    components of one month (a table covers the months from its
 *    data-period to its data-until, when they did not change).  Without
 *    script everything stays visible.  Wired on load (the printable page)
 *    and on the event "czynsze:statement-shown" that login.js fires after
 *    inserting the statement into #statement-root.
 * 3. Buttons .print-button print the page.
 * 4. A balance dated the export's own day comes as an empty
 *    span.export-date (the statement stays the same from night to night
 *    while the data do): it gets the date of [data-export-date] on the
 *    page.
 * 5. Buttons button.copy[data-copy] (account number, amount, transfer
 *    title under the payment QR code) copy their value to the clipboard
 *    and say so in the button's text for a moment.
 * 6. In every card's ledger, "Pobierz obroty (CSV)" downloads the year
 *    chosen in the year picker (or all years) as a CSV file
 *    (ledger-csv.js), built here from the decrypted statement: the
 *    amounts come from the rows' data-debit / data-credit /
 *    data-balance (grosze); "Drukuj / zapisz PDF" prints that card alone
 *    (body.print-one, .card.printing; site.css) with the resident's name
 *    and the card on every page (an @page rule added through the CSS
 *    object model, which the page's CSP allows) and page numbers.
 */

import { ledgerCsv } from './ledger-csv.js';

const PREFS_KEY = 'czynsze.prefs';
const COPIED_MS = 2000;
const root = document.documentElement;

function loadPrefs() {
	try {
		const p = JSON.parse(window.localStorage.getItem(PREFS_KEY) ?? '{}');
		return { large: p.large === true, contrast: p.contrast === true };
	} catch {
		return { large: false, contrast: false };
	}
}

function savePrefs({ large, contrast }) {
	try {
		window.localStorage.setItem(PREFS_KEY, JSON.stringify({ large, contrast }));
	} catch {
		/* storage off: the choice lasts for this page only */
	}
}

function applyPrefs({ large, contrast }) {
	root.classList.toggle('text-large', large);
	root.classList.toggle('contrast-high', contrast);
	document.getElementById('a11y-larger')?.setAttribute('aria-pressed', String(large));
	document.getElementById('a11y-contrast')?.setAttribute('aria-pressed', String(contrast));
}

function wirePrefs() {
	const prefs = loadPrefs();
	applyPrefs(prefs);
	const box = document.querySelector('.a11y');
	if (box) box.hidden = false;
	const toggle = (id, key) => document.getElementById(id)?.addEventListener('click', () => {
		prefs[key] = !prefs[key];
		applyPrefs(prefs);
		savePrefs(prefs);
	});
	toggle('a11y-larger', 'large');
	toggle('a11y-contrast', 'contrast');
}

// Runs wire(el) once per element, however often the statement is shown.
function once(el, wire) {
	if (el.dataset.wired === '1') return;
	el.dataset.wired = '1';
	wire(el);
}

function wirePicker(card, selectClass, sectionClass, attr) {
	const select = card.querySelector(`select.${selectClass}`);
	if (!select) return;
	once(select, () => {
		const sections = [...card.querySelectorAll(`.${sectionClass}`)];
		const show = () => {
			const v = select.value;
			for (const s of sections) {
				const from = s.getAttribute(attr);
				const until = s.getAttribute('data-until') ?? from;
				s.hidden = !(v === 'all' || (from <= v && v <= until));
			}
		};
		select.addEventListener('change', show);
		const picker = select.closest('.picker');
		if (picker) picker.hidden = false;
		show();
	});
}

function fillExportDates() {
	const date = document.querySelector('[data-export-date]')?.getAttribute('data-export-date');
	if (!date) return;
	for (const span of document.querySelectorAll('.statement .export-date'))
		if (!span.textContent) span.textContent = date;
}

function wireCopy(button) {
	if (!navigator.clipboard) return;   /* stays hidden: the values are on the page */
	const label = button.textContent;
	button.hidden = false;
	button.addEventListener('click', async () => {
		try {
			await navigator.clipboard.writeText(button.dataset.copy);
			button.textContent = 'Skopiowano';
		} catch {
			button.textContent = 'Nie udało się skopiować';
		}
		setTimeout(() => { button.textContent = label; }, COPIED_MS);
	});
}

// The chosen year's bookings of a card, oldest first, and the balance
// before the first of them.
function ledgerRows(card) {
	const year = card.querySelector('select.year-picker')?.value ?? 'all';
	const rows = [];
	for (const section of card.querySelectorAll('.ledger-year')) {
		if (year !== 'all' && section.dataset.year !== year) continue;
		for (const tr of section.querySelectorAll('tbody tr')) {
			const cell = [...tr.children].map((c) => c.textContent.trim());
			rows.push({
				date: cell[0], period: cell[1], kind: cell[2], docNo: cell[3], description: cell[4],
				debit: BigInt(tr.dataset.debit), credit: BigInt(tr.dataset.credit),
				balance: BigInt(tr.dataset.balance),
			});
		}
	}
	rows.reverse();
	const opening = rows.length > 0 ? rows[0].balance - rows[0].debit + rows[0].credit : 0n;
	return { year, rows, opening };
}

function cardTitle(card) {
	const holder = document.querySelector('.statement .holder')?.textContent.trim() ?? '';
	const id = card.querySelector('.card-id')?.textContent.trim() ?? '';
	return { holder, id, name: card.querySelector('h2')?.textContent.trim() ?? '' };
}

function downloadCsv(card) {
	const { year, rows, opening } = ledgerRows(card);
	const t = cardTitle(card);
	const text = ledgerCsv(rows, opening,
		`${t.holder}, ${t.name}, ${t.id}, ${year === 'all' ? 'wszystkie lata' : `rok ${year}`}`);
	const link = document.createElement('a');
	link.href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
	link.download = `obroty-${t.id.replace(/[^A-Za-z0-9]+/g, '')}-${year === 'all' ? 'wszystkie' : year}.csv`;
	link.hidden = true;
	document.body.append(link);
	link.click();
	link.remove();
	setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

// Text as a CSS string, every character that is not a plain letter,
// digit or space escaped: data never ends the string.
const cssString = (s) => '"' + [...s].map((ch) => /[\p{L}\p{N} ]/u.test(ch) ? ch :
	`\\${ch.codePointAt(0).toString(16)} `).join('') + '"';

function printCard(card) {
	const t = cardTitle(card);
	const sheet = [...document.styleSheets].find((sh) => sh.href?.endsWith('/css/site.css'));
	let rule = -1;
	if (sheet) {
		rule = sheet.insertRule(`@page { @top-left { content: ${cssString(`${t.holder} — ${t.name}, ${t.id}`)}; } }`,
			sheet.cssRules.length);
	}
	document.body.classList.add('print-one');
	card.classList.add('printing');
	const done = () => {
		document.body.classList.remove('print-one');
		card.classList.remove('printing');
		if (rule >= 0) sheet.deleteRule(rule);
		window.removeEventListener('afterprint', done);
	};
	window.addEventListener('afterprint', done);
	window.print();
}

function wireStatement() {
	fillExportDates();
	for (const card of document.querySelectorAll('.statement .card')) {
		wirePicker(card, 'year-picker', 'ledger-year', 'data-year');
		wirePicker(card, 'month-picker', 'month', 'data-period');
	}
	for (const button of document.querySelectorAll('.statement button.copy[data-copy]'))
		once(button, wireCopy);
	for (const card of document.querySelectorAll('.statement .card')) {
		for (const [cls, run] of [['csv-button', downloadCsv], ['print-card-button', printCard]]) {
			const button = card.querySelector(`button.${cls}`);
			if (button) once(button, () => {
				button.hidden = false;
				button.addEventListener('click', () => run(card));
			});
		}
	}
	for (const button of document.querySelectorAll('.print-button')) {
		once(button, () => {
			if (document.querySelector('.statement')) button.hidden = false;
			button.addEventListener('click', () => window.print());
		});
	}
}

document.addEventListener('czynsze:statement-shown', wireStatement);
applyPrefs(loadPrefs());
// A module runs after the document is parsed: the page is there.
wirePrefs();
wireStatement();
