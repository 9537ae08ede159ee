// The interface's language: the one chosen with the switch (kept in this browser), else the browser's first language
// Palabre speaks, else English. Messages come from the bundles in /i18n/, one per language, with the same keys.

export const LANGUAGES = [['en', 'English'], ['fr', 'Français']];
const CHOSEN = 'palabre.lang';

function choose() {
  const known = LANGUAGES.map(([code]) => code);
  let saved = null;
  try {
    saved = localStorage.getItem(CHOSEN);
  } catch (ignored) {
    // storage refused: follow the browser
  }
  if (known.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language || 'en']) {
    const code = String(tag).toLowerCase().split('-')[0];
    if (known.includes(code)) return code;
  }
  return 'en';
}

/** The language in use, e.g. 'fr'. */
export const lang = choose();

let messages = {};
let english = {};

/** Loads the bundle of the language in use (and English, for a key a bundle might lack). */
export async function loadMessages() {
  const fetchBundle = code => fetch(`/i18n/${code}.json`, { headers: { Accept: 'application/json' } })
    .then(r => (r.ok ? r.json() : {})).catch(() => ({}));
  [messages, english] = await Promise.all([fetchBundle(lang), lang === 'en' ? Promise.resolve(null)
    : fetchBundle('en')]);
  if (!english) english = messages;
  document.documentElement.lang = lang;
}

/** The message of `key`, with each {name} replaced by vars.name. */
export function t(key, vars) {
  const text = messages[key] ?? english[key] ?? key;
  return vars ? text.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole)) : text;
}

const plurals = new Intl.PluralRules(lang);
const numbers = new Intl.NumberFormat(lang);

/**
 * The message `key.one` or `key.other` for the count n (as the language counts: French says "1 mention", "0 mention"),
 * with {n} (the count, formatted) and vars filled in.
 */
export function plural(key, n, vars) {
  const form = plurals.select(n) === 'one' ? 'one' : 'other';
  return t(`${key}.${form}`, { n: numbers.format(n), ...vars });
}

/** Translates the page's static text: each element's data-i18n key gives its text, data-i18n-label its label. */
export function translateDocument(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  const title = root.querySelector('title[data-i18n-title]');
  if (title) title.textContent = t(title.dataset.i18nTitle);
}

/** Switches the interface to another language, and shows the page again in it. */
export function setLanguage(code) {
  try {
    localStorage.setItem(CHOSEN, code);
  } catch (ignored) {
    // storage refused: the choice lasts for this page only
  }
  location.reload();
}
