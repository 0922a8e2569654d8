/*
 * app.js — the page script (no data, no network).
 *
 * 1. "Ułatwienia dostępu": the buttons #a11y-larger and #a11y-contrast
 *    toggle the classes text-large / contrast-high on <html>; the choice
 *    is remembered in localStorage under "czynsze.prefs" (preferences
 *    only, never any data from the statement).
 * 2. The statement's pickers: in every card, select.year-picker shows one
 *    year of the ledger (or all) and select.month-picker the charge
 *    components of one month (a table covers the months from its
 *    data-period to its data-until, when they did not change).  Without script everything stays visible.  Wired
 *    on load (the printable page) and on the event
 *    "czynsze:statement-shown" that login.js fires after inserting the
 *    statement into #statement-root.
 * 3. Buttons .print-button print the page.
 * 4. A balance dated the export's own day comes as an empty
 *    span.export-date (the statement stays the same from night to night
 *    while the data do): it gets the date of [data-export-date] on the
 *    page.
 */
(function () {
  'use strict';

  var KEY = 'czynsze.prefs';
  var root = document.documentElement;

  function loadPrefs() {
    try {
      var p = JSON.parse(window.localStorage.getItem(KEY) || '{}');
      return { large: p.large === true, contrast: p.contrast === true };
    } catch (e) {
      return { large: false, contrast: false };
    }
  }

  function savePrefs(p) {
    try {
      window.localStorage.setItem(KEY, JSON.stringify({ large: p.large, contrast: p.contrast }));
    } catch (e) { /* storage off: the choice lasts for this page only */ }
  }

  function applyPrefs(p) {
    root.classList.toggle('text-large', p.large);
    root.classList.toggle('contrast-high', p.contrast);
    var larger = document.getElementById('a11y-larger');
    var contrast = document.getElementById('a11y-contrast');
    if (larger) larger.setAttribute('aria-pressed', p.large ? 'true' : 'false');
    if (contrast) contrast.setAttribute('aria-pressed', p.contrast ? 'true' : 'false');
  }

  applyPrefs(loadPrefs());

  function wirePrefs() {
    var prefs = loadPrefs();
    applyPrefs(prefs);
    var box = document.querySelector('.a11y');
    if (box) box.hidden = false;
    var larger = document.getElementById('a11y-larger');
    var contrast = document.getElementById('a11y-contrast');
    if (larger) larger.addEventListener('click', function () {
      prefs.large = !prefs.large; applyPrefs(prefs); savePrefs(prefs);
    });
    if (contrast) contrast.addEventListener('click', function () {
      prefs.contrast = !prefs.contrast; applyPrefs(prefs); savePrefs(prefs);
    });
  }

  function wirePicker(card, selectClass, sectionClass, attr) {
    var select = card.querySelector('select.' + selectClass);
    if (!select || select.getAttribute('data-wired') === '1') return;
    select.setAttribute('data-wired', '1');
    var sections = card.querySelectorAll('.' + sectionClass);
    function show() {
      var v = select.value;
      for (var i = 0; i < sections.length; i++) {
        var s = sections[i];
        var from = s.getAttribute(attr);
        var until = s.getAttribute('data-until') || from;
        s.hidden = !(v === 'all' || (from <= v && v <= until));
      }
    }
    select.addEventListener('change', show);
    var picker = select.closest('.picker');
    if (picker) picker.hidden = false;
    show();
  }

  function fillExportDates() {
    var from = document.querySelector('[data-export-date]');
    if (!from) return;
    var spans = document.querySelectorAll('.statement .export-date');
    for (var i = 0; i < spans.length; i++) {
      if (!spans[i].textContent) spans[i].textContent = from.getAttribute('data-export-date');
    }
  }

  function wireStatement() {
    fillExportDates();
    var cards = document.querySelectorAll('.statement .card');
    for (var i = 0; i < cards.length; i++) {
      wirePicker(cards[i], 'year-picker', 'ledger-year', 'data-year');
      wirePicker(cards[i], 'month-picker', 'month', 'data-period');
    }
    var buttons = document.querySelectorAll('.print-button');
    for (var k = 0; k < buttons.length; k++) {
      var b = buttons[k];
      if (b.getAttribute('data-wired') === '1') continue;
      b.setAttribute('data-wired', '1');
      if (document.querySelector('.statement')) b.hidden = false;
      b.addEventListener('click', function () { window.print(); });
    }
  }

  document.addEventListener('czynsze:statement-shown', wireStatement);

  function start() {
    wirePrefs();
    wireStatement();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
