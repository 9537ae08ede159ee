// Search over mentions: full text plus the shared filters, with the volume of what matched and exports.
import { h, select, empty, accountLink, conversationLink, windowStart, timeElement, platformOptions,
  windowOptions, onFilter, externalLink, liveUpdates } from '../ui.js';
import { t, plural } from '../i18n.js';
import { get, query } from '../api.js';
import { lineChart } from '../charts.js';

const FIELDS = ['q', 'platform', 'lang', 'hashtag', 'author', 'window'];

export async function render(main, { params, live, refresh }) {
  const chosen = Object.fromEntries(FIELDS.map(f => [f, params.get(f) || '']));
  main.append(h('h1', {}, t('search.title')));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': t('search.title') },
    h('label', {}, t('search.words'),
      h('input', { name: 'q', type: 'search', value: chosen.q, size: 30, placeholder: t('search.placeholder') })),
    select('platform', t('filter.platform'), platformOptions(), chosen.platform),
    h('label', {}, t('filter.language'), h('input', { name: 'lang', value: chosen.lang, size: 4, placeholder: 'en' })),
    h('label', {}, t('search.hashtag'), h('input', { name: 'hashtag', value: chosen.hashtag, size: 12 })),
    h('label', {}, t('search.author'), h('input', { name: 'author', value: chosen.author, size: 22 })),
    select('window', t('filter.window'), windowOptions(['365d', '90d', '30d', '7d', '24h']), chosen.window || '365d'),
    h('button', { type: 'submit' }, t('search.submit')));
  onFilter(form, 'search');
  main.append(form);

  const filter = { q: chosen.q, platform: chosen.platform, lang: chosen.lang, hashtag: chosen.hashtag,
    author: chosen.author, from: windowStart(chosen.window || '365d') };
  const volume = await get('timeseries', { ...filter, interval: 'day' });
  const total = volume.series.reduce((a, s) => a + s.points.reduce((b, p) => b + p.count, 0), 0);
  const results = h('ol', { class: 'feed', 'aria-label': t('search.found'), id: 'search-results',
    style: { maxHeight: 'none' } });
  main.append(h('p', { role: 'status' }, plural('search.count', total),
    volume.from ? t('search.since', { date: volume.from.slice(0, 10) }) : '', t('search.export'),
    h('a', { href: `/api/export/mentions${query({ ...filter, format: 'ndjson' })}` }, 'NDJSON'), ' · ',
    h('a', { href: `/api/export/mentions${query({ ...filter, format: 'csv' })}` }, 'CSV')));
  main.append(lineChart(volume.series.map(s => ({ key: s.key || t('overview.mentions').toLowerCase(),
    points: s.points.map(p => ({ at: p.at, value: p.count })) })), { label: t('search.perDay') }));
  main.append(h('h2', {}, t('search.newestFirst')), results);
  await page(main, results, filter, null);
  // The filters a new mention can be checked against here; words and hashtags are looked for in its text, and the
  // search itself decides when the page is shown again.
  const words = `${chosen.q} ${chosen.hashtag ? `#${chosen.hashtag.replace(/^#/, '')}` : ''}`.toLowerCase()
    .split(/\s+/).filter(w => w && !w.startsWith('-')).map(w => w.replace(/^"|"$/g, ''));
  return liveUpdates(main, live, {
    concern: m => !m.deleted && (!chosen.platform || m.platform === chosen.platform)
      && (!chosen.lang || m.lang === chosen.lang) && (!chosen.author || m.authorId === chosen.author)
      && words.every(w => (m.text || '').toLowerCase().includes(w)),
    refresh, what: t('search.liveWhat'),
  });
}

async function page(main, results, filter, cursor) {
  const found = await get('mentions', { ...filter, limit: 50, cursor });
  if (!cursor && found.items.length === 0) {
    results.replaceWith(empty(t('search.none')));
    return;
  }
  for (const m of found.items) {
    results.append(h('li', {}, h('article', { class: 'post' },
      h('div', { class: 'meta' }, h('span', { class: 'who' }, accountLink(m.author.id, m.author.handle || m.author.id)),
        timeElement(m.createdAt), h('span', {}, m.platform), m.lang ? h('span', {}, m.lang) : null,
        conversationLink(m.conversationId, t('post.conversation')),
        externalLink(m.url, t('post.original'))),
      h('p', {}, m.kind === 'repost' ? t('post.repostedSentence') : m.text || ''))));
  }
  if (found.nextCursor) {
    const more = h('button', { type: 'button', class: 'secondary' }, t('filter.loadMore'));
    more.addEventListener('click', async () => {
      more.remove();
      await page(main, results, filter, found.nextCursor);
    });
    main.append(more);
  }
}
