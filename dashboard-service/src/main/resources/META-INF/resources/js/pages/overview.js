// Overview: volume over time, platforms and languages, the most active conversations, dialogue health, live feed.
import { h, enc, num, pct, duration, select, figures, empty, errorBox, conversationLink, accountLink, windowStart,
  timeElement } from '../ui.js';
import { get, organisationAccounts } from '../api.js';
import { lineChart, bars } from '../charts.js';
import { conversationRows } from './conversations.js';

export async function render(main, { params, live }) {
  const window = ['24h', '7d', '30d', '90d'].includes(params.get('window')) ? params.get('window') : '7d';
  const from = windowStart(window);
  const interval = window === '24h' || window === '7d' ? 'hour' : 'day';
  main.append(h('h1', {}, 'What is being said, and who is in dialogue'));
  const form = h('form', { class: 'filters', 'aria-label': 'Time window' },
    select('window', 'Time window', [['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days'],
      ['90d', 'Last 90 days']], window));
  form.querySelector('select').addEventListener('change', e => {
    location.hash = `#/?window=${e.target.value}`;
  });
  main.append(form);

  const [byPlatform, byLang, active, hashtags, organisations, latest] = await Promise.all([
    get('timeseries', { interval, by: 'platform', from }),
    get('timeseries', { interval: 'day', by: 'lang', from }),
    get('conversations', { sort: 'size', from, limit: 10 }),
    get('top/hashtags', { from, limit: 10 }),
    organisationAccounts(),
    get('mentions', { limit: 15 }),
  ]);
  const totals = series => series.series.map(s => ({ label: s.key || 'unknown',
    value: s.points.reduce((a, p) => a + p.count, 0) })).sort((a, b) => b.value - a.value);
  const platforms = totals(byPlatform);
  const languages = totals(byLang);
  const mentions = platforms.reduce((a, p) => a + p.value, 0);

  main.append(h('section', { 'aria-labelledby': 'volume' },
    h('h2', { id: 'volume' }, 'Volume'),
    figures([['Mentions', num(mentions)], ['Platforms', num(platforms.length)],
      ['Languages', num(languages.filter(l => l.label !== 'unknown').length)],
      ['Organisation accounts', num(organisations.size)]]),
    lineChart(byPlatform.series.map(s => ({ key: s.key, points: s.points.map(p => ({ at: p.at, value: p.count })) })),
      { label: `Mentions per ${interval}, by platform` })));

  main.append(h('div', { class: 'grid' },
    h('section', { class: 'card', 'aria-labelledby': 'platforms' }, h('h2', { id: 'platforms' }, 'Platforms'),
      bars(platforms.map(p => ({ ...p, href: `#/search?platform=${enc(p.label)}` })), { label: 'Mentions per platform' })),
    h('section', { class: 'card', 'aria-labelledby': 'languages' }, h('h2', { id: 'languages' }, 'Languages'),
      bars(languages.slice(0, 8).map(l => ({ ...l, href: l.label === 'unknown' ? null : `#/search?lang=${enc(l.label)}` })),
        { label: 'Mentions per language' })),
    h('section', { class: 'card', 'aria-labelledby': 'hashtags' }, h('h2', { id: 'hashtags' }, 'Top hashtags'),
      bars(hashtags.map(t => ({ label: `#${t.value}`, value: t.mentions, href: `#/search?hashtag=${enc(t.value)}` })),
        { label: 'Mentions per hashtag' }))));

  const health = h('section', { 'aria-labelledby': 'health' }, h('h2', { id: 'health' }, 'Dialogue health'));
  main.append(health);
  health.append(await dialogueHealth([...organisations], window));

  main.append(h('section', { 'aria-labelledby': 'active' },
    h('h2', { id: 'active' }, 'Most active conversations'),
    active.items.length ? conversationRows(active.items, organisations, 'The ten largest conversations in the window')
      : empty('No conversation in this window.'),
    h('p', {}, h('a', { href: '#/conversations' }, 'All conversations'))));

  const feed = h('ol', { class: 'feed', 'aria-label': 'Latest mentions', id: 'live-feed' },
    latest.items.map(m => feedItem(m)));
  main.append(h('section', { 'aria-labelledby': 'latest' },
    h('h2', { id: 'latest' }, 'Latest mentions, live'), feed));
  return live.subscribe(m => {
    feed.prepend(feedItem({ ...m, author: { id: m.authorId, handle: m.authorHandle } }));
    while (feed.children.length > 40) feed.lastChild.remove();
  });
}

function feedItem(m) {
  return h('li', {}, timeElement(m.createdAt), ' · ', m.platform, ' · ',
    accountLink(m.author.id, m.author.handle || m.author.id), ': ',
    m.kind === 'repost' ? h('em', {}, 'reposted') : (m.text || '').slice(0, 200), ' ',
    conversationLink(m.conversationId, 'conversation'));
}

async function dialogueHealth(accounts, window) {
  if (accounts.length === 0) {
    return empty('No organisation account yet: create a listening query that names its organisation accounts '
      + '(POST /api/queries on ingest-service, field organisationAccounts).');
  }
  // The named windows end now; the others start where the chosen period does.
  const choice = ['24h', '7d', '30d'].includes(window) ? { window } : { from: windowStart(window) };
  const rows = await Promise.all(accounts.sort().map(id => get(`dialogue/${enc(id)}`, choice)
    .catch(error => ({ accountId: id, error }))));
  return h('table', {},
    h('caption', {}, `Does each organisation account answer people? (last ${window})`),
    h('thead', {}, h('tr', {}, ['Account', "People's mentions", 'Response rate', 'Median first response',
      'Unanswered', 'Dialogues (3+ turns)', 'Horizontality'].map((t, i) =>
      h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
    h('tbody', {}, rows.map(d => d.error ? h('tr', {}, h('td', {}, d.accountId), h('td', { colspan: 6 },
      errorBox(d.error))) : h('tr', {},
      h('td', {}, h('a', { href: `#/dialogue/${enc(d.accountId)}?window=${choice.window || 'all'}` }, d.accountId)),
      h('td', { class: 'num' }, num(d.peopleMentions)),
      h('td', { class: `num ${d.responseRate === null ? '' : d.responseRate >= 0.5 ? 'rate-good' : 'rate-bad'}` },
        pct(d.responseRate)),
      h('td', { class: 'num' }, duration(d.medianFirstResponseSeconds)),
      h('td', { class: 'num' }, num(d.unansweredCount)),
      h('td', { class: 'num' }, num(d.dialogues)),
      h('td', { class: 'num' }, pct(d.horizontality))))));
}
