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
 */

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

function wireStatement() {
	fillExportDates();
	for (const card of document.querySelectorAll('.statement .card')) {
		wirePicker(card, 'year-picker', 'ledger-year', 'data-year');
		wirePicker(card, 'month-picker', 'month', 'data-period');
	}
	for (const button of document.querySelectorAll('.statement button.copy[data-copy]'))
		once(button, wireCopy);
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
