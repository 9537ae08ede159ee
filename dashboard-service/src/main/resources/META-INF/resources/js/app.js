// The dashboard: a hash router over the pages, one live connection to /api/stream shared by them, and the alerts as
// they fire. Every text comes from the message bundle of the interface's language (i18n.js).
import { h, errorBox } from './ui.js';
import { session, logout } from './api.js';
import { t, plural, lang, LANGUAGES, loadMessages, translateDocument, setLanguage } from './i18n.js';
import * as overview from './pages/overview.js';
import * as conversations from './pages/conversations.js';
import * as conversation from './pages/conversation.js';
import * as graph from './pages/graph.js';
import * as dialogue from './pages/dialogue.js';
import * as search from './pages/search.js';
import * as account from './pages/account.js';
import * as inbox from './pages/inbox.js';
import * as alerts from './pages/alerts.js';
import * as alert from './pages/alert.js';
import * as rules from './pages/rules.js';

const ROUTES = [
  [/^\/?$/, overview, 'overview'],
  [/^\/conversations$/, conversations, 'conversations'],
  [/^\/conversations\/(.+)$/, conversation, 'conversations'],
  [/^\/graph$/, graph, 'graph'],
  [/^\/dialogue(?:\/(.+))?$/, dialogue, 'dialogue'],
  [/^\/inbox(?:\/(.+))?$/, inbox, 'inbox'],
  [/^\/alerts$/, alerts, 'alerts'],
  [/^\/alerts\/rules$/, rules, 'alerts'],
  [/^\/alerts\/(\d+)$/, alert, 'alerts'],
  [/^\/search$/, search, 'search'],
  [/^\/accounts\/(.+)$/, account, 'graph'],
];

/** Live activity: every page can listen to newly stored mentions, and to alerts, while it is shown. */
export const live = {
  listeners: new Set(),
  alertListeners: new Set(),
  received: 0,
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  },
  subscribeAlerts(listener) {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  },
};

function connectLive() {
  const status = document.getElementById('live-status');
  const source = new EventSource('/api/stream');
  let shown = 0;
  source.onopen = () => {
    status.textContent = t('live.connected');
  };
  source.onmessage = event => {
    const mention = JSON.parse(event.data);
    live.received++;
    for (const listener of live.listeners) listener(mention);
  };
  source.onerror = () => {
    status.textContent = t('live.reconnecting');
  };
  // Browsers allow few connections per server: give this one back as soon as the page goes.
  window.addEventListener('pagehide', () => source.close());
  // Announce at most every few seconds, so screen readers are not flooded.
  setInterval(() => {
    if (live.received !== shown) {
      shown = live.received;
      status.textContent = plural('live.sinceOpened', shown);
    }
  }, 3000);
}

/** Alerts as they fire and resolve: a banner on every page, and the alert pages' own listeners. */
function connectAlerts() {
  const banner = document.getElementById('alert-banner');
  const source = new EventSource('/api/alerts/stream');
  let fired = 0;
  source.onmessage = event => {
    const e = JSON.parse(event.data);
    for (const listener of live.alertListeners) listener(e);
    if (e.event !== 'fired') return;
    fired++;
    banner.replaceChildren(plural('alerts.banner', fired), ' ', h('a', { href: `#/alerts/${e.alertId}` },
      t('alerts.bannerOpen')));
    banner.hidden = false;
  };
  window.addEventListener('pagehide', () => source.close());
}

let cleanup = null;

async function route() {
  const main = document.getElementById('main');
  const [path, queryText] = decodeHash(location.hash);
  const params = new URLSearchParams(queryText || '');
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  main.replaceChildren();
  main.dataset.ready = 'false';
  for (const [pattern, page, nav] of ROUTES) {
    const match = path.match(pattern);
    if (!match) continue;
    for (const link of document.querySelectorAll('.top nav a')) {
      if (link.dataset.page === nav) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    const id = match[1] ? decodeURIComponent(match[1]) : null;
    try {
      cleanup = await page.render(main, { id, params, live, refresh: () => route() }) || null;
    } catch (error) {
      main.append(errorBox(error));
    }
    document.title = `${main.querySelector('h1')?.textContent || 'Palabre'} · Palabre`;
    main.dataset.ready = 'true';
    return;
  }
  main.append(h('h1', {}, t('nav.notFound')), h('p', {}, t('nav.nothingHere'), ' ',
    h('a', { href: '#/' }, t('nav.toOverview'))));
}

function decodeHash(hash) {
  const text = hash.replace(/^#/, '');
  const q = text.indexOf('?');
  return q < 0 ? [text, ''] : [text.slice(0, q), text.slice(q + 1)];
}

/** Moves to a page; focus goes to the new content for keyboard and screen-reader users. */
export function go(hash) {
  location.hash = hash;
}

window.addEventListener('hashchange', async () => {
  document.getElementById('main').dataset.ready = 'false';
  await route();
  document.getElementById('main').focus({ preventScroll: false });
});
// Anything that fails outside a page's own handling is shown, not swallowed.
window.addEventListener('unhandledrejection', event => {
  document.getElementById('main').append(errorBox(event.reason || t('api.unexpected')));
});

function languageSwitch() {
  const select = document.getElementById('language');
  select.replaceChildren(...LANGUAGES.map(([code, name]) => h('option', { value: code, lang: code,
    selected: code === lang }, name)));
  select.addEventListener('change', () => setLanguage(select.value));
}

async function showCaller() {
  try {
    const me = await session();
    document.getElementById('who').textContent = t('nav.who', { username: me.username, role: t(`role.${me.role}`) });
  } catch (ignored) {
    // a 401 has already sent the browser to the login page
  }
  document.getElementById('logout').addEventListener('click', () => logout());
}

await loadMessages();
translateDocument();
languageSwitch();
showCaller();
connectLive();
connectAlerts();
route();
