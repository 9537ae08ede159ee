// Overview: volume over time, platforms and languages, the most active conversations, dialogue health, live feed.
import { h, enc, num, pct, duration, select, figures, empty, errorBox, conversationLink, accountLink, windowStart,
  timeElement, windowOptions } from '../ui.js';
import { t } from '../i18n.js';
import { get, organisationAccounts } from '../api.js';
import { lineChart, bars } from '../charts.js';
import { conversationRows } from './conversations.js';

export async function render(main, { params, live }) {
  const window = ['24h', '7d', '30d', '90d'].includes(params.get('window')) ? params.get('window') : '7d';
  const from = windowStart(window);
  const interval = window === '24h' || window === '7d' ? 'hour' : 'day';
  main.append(h('h1', {}, t('overview.title')));
  const form = h('form', { class: 'filters', 'aria-label': t('filter.window') },
    select('window', t('filter.window'), windowOptions(['24h', '7d', '30d', '90d']), window));
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
  const totals = series => series.series.map(s => ({ label: s.key || t('overview.unknown'),
    value: s.points.reduce((a, p) => a + p.count, 0) })).sort((a, b) => b.value - a.value);
  const platforms = totals(byPlatform);
  const languages = totals(byLang);
  const unknown = t('overview.unknown');
  const mentions = platforms.reduce((a, p) => a + p.value, 0);

  main.append(h('section', { 'aria-labelledby': 'volume' },
    h('h2', { id: 'volume' }, t('overview.volume')),
    figures([[t('overview.mentions'), num(mentions)], [t('overview.platforms'), num(platforms.length)],
      [t('overview.languages'), num(languages.filter(l => l.label !== unknown).length)],
      [t('overview.organisationAccounts'), num(organisations.size)]]),
    lineChart(byPlatform.series.map(s => ({ key: s.key, points: s.points.map(p => ({ at: p.at, value: p.count })) })),
      { label: interval === 'hour' ? t('overview.mentionsPerHourByPlatform')
        : t('overview.mentionsPerDayByPlatform') })));

  main.append(h('div', { class: 'grid' },
    h('section', { class: 'card', 'aria-labelledby': 'platforms' }, h('h2', { id: 'platforms' }, t('overview.platforms')),
      bars(platforms.map(p => ({ ...p, href: `#/search?platform=${enc(p.label)}` })),
        { label: t('overview.mentionsPerPlatform') })),
    h('section', { class: 'card', 'aria-labelledby': 'languages' }, h('h2', { id: 'languages' }, t('overview.languages')),
      bars(languages.slice(0, 8).map(l => ({ ...l, href: l.label === unknown ? null : `#/search?lang=${enc(l.label)}` })),
        { label: t('overview.mentionsPerLanguage') })),
    h('section', { class: 'card', 'aria-labelledby': 'hashtags' }, h('h2', { id: 'hashtags' }, t('overview.topHashtags')),
      bars(hashtags.map(tag => ({ label: `#${tag.value}`, value: tag.mentions,
        href: `#/search?hashtag=${enc(tag.value)}` })), { label: t('overview.mentionsPerHashtag') }))));

  const health = h('section', { 'aria-labelledby': 'health' }, h('h2', { id: 'health' }, t('overview.health')));
  main.append(health);
  health.append(await dialogueHealth([...organisations], window));

  main.append(h('section', { 'aria-labelledby': 'active' },
    h('h2', { id: 'active' }, t('overview.active')),
    active.items.length ? conversationRows(active.items, organisations, t('overview.activeCaption'))
      : empty(t('overview.noConversation')),
    h('p', {}, h('a', { href: '#/conversations' }, t('overview.allConversations')))));

  const feed = h('ol', { class: 'feed', 'aria-label': t('overview.latestLabel'), id: 'live-feed' },
    latest.items.map(m => feedItem(m)));
  main.append(h('section', { 'aria-labelledby': 'latest' },
    h('h2', { id: 'latest' }, t('overview.latest')), feed));
  return live.subscribe(m => {
    feed.prepend(feedItem({ ...m, author: { id: m.authorId, handle: m.authorHandle } }));
    while (feed.children.length > 40) feed.lastChild.remove();
  });
}

function feedItem(m) {
  return h('li', {}, timeElement(m.createdAt), ' · ', m.platform, ' · ',
    accountLink(m.author.id, m.author.handle || m.author.id), ': ',
    m.kind === 'repost' ? h('em', {}, t('post.reposted')) : (m.text || '').slice(0, 200), ' ',
    conversationLink(m.conversationId, t('post.conversation')));
}

async function dialogueHealth(accounts, window) {
  if (accounts.length === 0) {
    return empty(t('overview.noOrganisation'));
  }
  // The named windows end now; the others start where the chosen period does.
  const choice = ['24h', '7d', '30d'].includes(window) ? { window } : { from: windowStart(window) };
  const rows = await Promise.all(accounts.sort().map(id => get(`dialogue/${enc(id)}`, choice)
    .catch(error => ({ accountId: id, error }))));
  return h('table', {},
    h('caption', {}, t('overview.healthCaption', { window })),
    h('thead', {}, h('tr', {}, ['dialogue.account', 'dialogue.peopleMentions', 'dialogue.responseRate',
      'dialogue.medianFirstResponse', 'dialogue.unanswered', 'dialogue.dialogues', 'dialogue.horizontality']
      .map((key, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t(key))))),
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
