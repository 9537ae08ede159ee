// The dashboard: a hash router over the pages, and one live connection to /api/stream shared by them.
import { h, errorBox, num } from './ui.js';
import { session, logout } from './api.js';
import * as overview from './pages/overview.js';
import * as conversations from './pages/conversations.js';
import * as conversation from './pages/conversation.js';
import * as graph from './pages/graph.js';
import * as dialogue from './pages/dialogue.js';
import * as search from './pages/search.js';
import * as account from './pages/account.js';

const ROUTES = [
  [/^\/?$/, overview, 'overview'],
  [/^\/conversations$/, conversations, 'conversations'],
  [/^\/conversations\/(.+)$/, conversation, 'conversations'],
  [/^\/graph$/, graph, 'graph'],
  [/^\/dialogue(?:\/(.+))?$/, dialogue, 'dialogue'],
  [/^\/search$/, search, 'search'],
  [/^\/accounts\/(.+)$/, account, 'graph'],
];

/** Live activity: every page can listen to newly stored mentions while it is shown. */
export const live = {
  listeners: new Set(),
  received: 0,
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  },
};

function connectLive() {
  const status = document.getElementById('live-status');
  const source = new EventSource('/api/stream');
  let shown = 0;
  source.onopen = () => {
    status.textContent = 'Live: connected';
  };
  source.onmessage = event => {
    const mention = JSON.parse(event.data);
    live.received++;
    for (const listener of live.listeners) listener(mention);
  };
  source.onerror = () => {
    status.textContent = 'Live: reconnecting…';
  };
  // Browsers allow few connections per server: give this one back as soon as the page goes.
  window.addEventListener('pagehide', () => source.close());
  // Announce at most every few seconds, so screen readers are not flooded.
  setInterval(() => {
    if (live.received !== shown) {
      shown = live.received;
      status.textContent = `Live: ${num(shown)} new mention${shown === 1 ? '' : 's'} since you opened the page`;
    }
  }, 3000);
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
  main.append(h('h1', {}, 'Not found'), h('p', {}, 'No page here. ', h('a', { href: '#/' }, 'Go to the overview.')));
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
  document.getElementById('main').append(errorBox(event.reason || 'Unexpected error'));
});
async function showCaller() {
  try {
    const me = await session();
    document.getElementById('who').textContent = `${me.username} (${me.role})`;
  } catch (ignored) {
    // a 401 has already sent the browser to the login page
  }
  document.getElementById('logout').addEventListener('click', () => logout());
}

showCaller();
connectLive();
route();
