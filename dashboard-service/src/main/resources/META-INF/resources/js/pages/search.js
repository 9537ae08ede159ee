// Search over mentions: full text plus the shared filters, with the volume of what matched and exports.
import { h, num, select, empty, accountLink, conversationLink, windowStart, timeElement, PLATFORM_OPTIONS,
  onFilter, externalLink, liveUpdates } from '../ui.js';
import { get, query } from '../api.js';
import { lineChart } from '../charts.js';

const FIELDS = ['q', 'platform', 'lang', 'hashtag', 'author', 'window'];

export async function render(main, { params, live, refresh }) {
  const chosen = Object.fromEntries(FIELDS.map(f => [f, params.get(f) || '']));
  main.append(h('h1', {}, 'Search mentions'));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Search mentions' },
    h('label', {}, 'Words (quotes for a phrase, - to exclude)',
      h('input', { name: 'q', type: 'search', value: chosen.q, size: 30, placeholder: 'refund -job' })),
    select('platform', 'Platform', PLATFORM_OPTIONS, chosen.platform),
    h('label', {}, 'Language', h('input', { name: 'lang', value: chosen.lang, size: 4, placeholder: 'en' })),
    h('label', {}, 'Hashtag', h('input', { name: 'hashtag', value: chosen.hashtag, size: 12 })),
    h('label', {}, 'Author id', h('input', { name: 'author', value: chosen.author, size: 22 })),
    select('window', 'Time window', [['365d', 'Last 12 months'], ['90d', 'Last 90 days'], ['30d', 'Last 30 days'],
      ['7d', 'Last 7 days'], ['24h', 'Last 24 hours']], chosen.window || '365d'),
    h('button', { type: 'submit' }, 'Search'));
  onFilter(form, 'search');
  main.append(form);

  const filter = { q: chosen.q, platform: chosen.platform, lang: chosen.lang, hashtag: chosen.hashtag,
    author: chosen.author, from: windowStart(chosen.window || '365d') };
  const volume = await get('timeseries', { ...filter, interval: 'day' });
  const total = volume.series.reduce((a, s) => a + s.points.reduce((b, p) => b + p.count, 0), 0);
  const results = h('ol', { class: 'feed', 'aria-label': 'Mentions found', id: 'search-results',
    style: { maxHeight: 'none' } });
  main.append(h('p', { role: 'status' }, `${num(total)} mention${total === 1 ? '' : 's'} found`,
    volume.from ? ` since ${volume.from.slice(0, 10)}` : '', '. Export them: ',
    h('a', { href: `/api/export/mentions${query({ ...filter, format: 'ndjson' })}` }, 'NDJSON'), ' · ',
    h('a', { href: `/api/export/mentions${query({ ...filter, format: 'csv' })}` }, 'CSV')));
  main.append(lineChart(volume.series.map(s => ({ key: s.key || 'mentions',
    points: s.points.map(p => ({ at: p.at, value: p.count })) })), { label: 'Matching mentions per day' }));
  main.append(h('h2', {}, 'Mentions, newest first'), results);
  await page(main, results, filter, null);
  // The filters a new mention can be checked against here; words and hashtags are looked for in its text, and the
  // search itself decides when the page is shown again.
  const words = `${chosen.q} ${chosen.hashtag ? `#${chosen.hashtag.replace(/^#/, '')}` : ''}`.toLowerCase()
    .split(/\s+/).filter(w => w && !w.startsWith('-')).map(w => w.replace(/^"|"$/g, ''));
  return liveUpdates(main, live, {
    concern: m => !m.deleted && (!chosen.platform || m.platform === chosen.platform)
      && (!chosen.lang || m.lang === chosen.lang) && (!chosen.author || m.authorId === chosen.author)
      && words.every(w => (m.text || '').toLowerCase().includes(w)),
    refresh, what: 'that may match',
  });
}

async function page(main, results, filter, cursor) {
  const found = await get('mentions', { ...filter, limit: 50, cursor });
  if (!cursor && found.items.length === 0) {
    results.replaceWith(empty('No mention matches.'));
    return;
  }
  for (const m of found.items) {
    results.append(h('li', {}, h('article', { class: 'post' },
      h('div', { class: 'meta' }, h('span', { class: 'who' }, accountLink(m.author.id, m.author.handle || m.author.id)),
        timeElement(m.createdAt), h('span', {}, m.platform), m.lang ? h('span', {}, m.lang) : null,
        conversationLink(m.conversationId, 'conversation'),
        externalLink(m.url, 'original')),
      h('p', {}, m.kind === 'repost' ? 'Reposted.' : m.text || ''))));
  }
  if (found.nextCursor) {
    const more = h('button', { type: 'button', class: 'secondary' }, 'Load more');
    more.addEventListener('click', async () => {
      more.remove();
      await page(main, results, filter, found.nextCursor);
    });
    main.append(more);
  }
}
