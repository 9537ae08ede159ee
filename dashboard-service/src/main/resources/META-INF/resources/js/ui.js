// Small DOM and formatting helpers. Text always goes in as text nodes, never as HTML. Numbers and dates are formatted
// for the interface's language.
import { t, plural, lang } from './i18n.js';

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'style' && typeof value === 'object') {
      Object.assign(el.style, value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function enc(id) {
  return encodeURIComponent(id);
}

export const numberFormat = new Intl.NumberFormat(lang);
const decimal = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });

export function num(n) {
  return n === null || n === undefined ? '–' : numberFormat.format(n);
}

export function pct(ratio) {
  return ratio === null || ratio === undefined ? '–' : `${decimal.format(Math.round(ratio * 1000) / 10)} %`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86400) return `${decimal.format(Math.round(s / 360) / 10)} h`;
  return `${decimal.format(Math.round(s / 8640) / 10)} ${t('unit.days')}`;
}

export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString(lang === 'en' ? 'en-GB' : lang, { dateStyle: 'medium', timeStyle: 'short',
    timeZone: 'UTC' }) + ' UTC';
}

export function timeElement(iso) {
  return h('time', { datetime: iso }, time(iso));
}

/** The start of a named window ending now, as an ISO instant to the minute; null for all time. */
export function windowStart(window) {
  const hours = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30, '90d': 24 * 90, '365d': 24 * 365 }[window];
  // Whole minutes: dashboards open at the same moment ask the same question, which the server answers once.
  return hours ? new Date(Math.floor((Date.now() - hours * 3600 * 1000) / 60000) * 60000).toISOString() : null;
}

/** A link to a post on its platform: only http(s) URLs become links, opened without opener or referrer. */
export function externalLink(url, label) {
  let safe = null;
  try {
    const parsed = new URL(url);
    safe = parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch (e) {
    safe = null;
  }
  return safe ? h('a', { href: safe, rel: 'noopener noreferrer', target: '_blank' }, label) : null;
}

export function accountLink(id, label) {
  return h('a', { href: `#/accounts/${enc(id)}` }, label || id);
}

export function conversationLink(id, label) {
  return h('a', { href: `#/conversations/${enc(id)}` }, label || id);
}

export function select(name, label, options, value) {
  return h('label', {}, label,
    h('select', { name }, options.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}

export function platformOptions() {
  return [['', t('filter.allPlatforms')], ['mastodon', 'Mastodon'], ['bluesky', 'Bluesky'], ['reddit', 'Reddit'],
    ['hackernews', 'Hacker News'], ['x', 'X'], ['rss', 'RSS/Atom']];
}

/** The named time windows, as [value, label] options, in this order. */
export function windowOptions(values) {
  return values.map(v => [v, t(`window.${v}`)]);
}

/** Submitting a filter form opens the page again with the form's non-empty fields as its query. */
export function onFilter(form, page) {
  form.addEventListener('submit', e => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
    location.hash = `#/${page}?${next}`;
  });
}

export function figures(items) {
  return h('dl', { class: 'figures' }, items.map(([label, value, cls]) =>
    h('div', {}, h('dt', {}, label), h('dd', { class: cls }, value))));
}

export function errorBox(error) {
  return h('p', { class: 'error', role: 'alert' }, error.message || String(error));
}

export function empty(text) {
  return h('p', { class: 'muted' }, text);
}

/** Twelve community colours, distinct and readable on white. */
export const PALETTE = ['#1f5fbf', '#d1495b', '#2a9d4b', '#8a4fbf', '#e08a00', '#0f8b8d', '#b5462d', '#5a6acf',
  '#6b8e23', '#c2417a', '#3d7ea6', '#8c6d1f'];

export function communityColour(community) {
  return community === null || community === undefined ? '#8a94a3' : PALETTE[community % PALETTE.length];
}

/**
 * Live updates of a page: counts the new mentions that `concern` accepts while the page is shown and offers to show
 * the page again with them (`refresh`), or does it by itself a moment after the last one when `automatic`. The count
 * is announced at most every three seconds, so screen readers are not flooded. Returns what stops it.
 */
export function liveUpdates(main, live, { concern, refresh, what, automatic = false }) {
  let count = 0;
  let shown = 0;
  let timer = null;
  const text = h('span', {});
  const button = h('button', { type: 'button', class: 'secondary' }, t('live.update'));
  const bar = h('p', { class: 'live-updates', role: 'status', id: 'live-updates' }, text, ' ', button);
  bar.hidden = true;
  button.addEventListener('click', () => refresh());
  const heading = main.querySelector('h1');
  if (heading) heading.after(bar);
  else main.prepend(bar);
  const stop = live.subscribe(mention => {
    if (!concern(mention)) return;
    count++;
    if (automatic) {
      clearTimeout(timer);
      timer = setTimeout(() => refresh(), 1500);
    }
  });
  const announce = setInterval(() => {
    if (count !== shown) {
      shown = count;
      bar.hidden = false;
      text.textContent = plural('live.newMentions', count, { what });
    }
  }, automatic ? 500 : 3000);
  return () => {
    stop();
    clearInterval(announce);
    clearTimeout(timer);
  };
}
