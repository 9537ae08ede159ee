// One account: who it is, where it stands in the graph, whom it talks with, and its ego network.
import { h, enc, num, pct, figures, empty, accountLink, conversationLink, timeElement,
  communityColour } from '../ui.js';
import { get, organisationAccounts } from '../api.js';
import { ForceGraph } from '../force.js';
import { t } from '../i18n.js';

export async function render(main, { id }) {
  const [profile, network, posts, organisations] = await Promise.all([get(`accounts/${enc(id)}`),
    get(`accounts/${enc(id)}/network`, { depth: 1, perNode: 40 }), get('mentions', { author: id, limit: 10 }),
    organisationAccounts()]);
  const a = profile.account;
  main.append(h('h1', {}, a.displayName || a.handle || a.id));
  main.append(h('p', {}, a.handle ? t('account.on', { handle: a.handle, platform: a.platform }) : a.platform,
    organisations.has(a.id) ? [' · ', h('span', { class: 'badge org' }, t('account.organisation')), ' · ',
      h('a', { href: `#/dialogue/${enc(a.id)}` }, t('account.dialogueMetrics'))] : null));
  main.append(figures([['PageRank', a.pagerank === null || a.pagerank === undefined ? '–' : a.pagerank.toFixed(4)],
    [t('account.degree'), num(a.degree)], [t('account.weightedDegree'), num(a.weightedDegree)],
    [t('account.core'), num(a.core)],
    [t('account.betweenness'), a.betweenness === null || a.betweenness === undefined ? '–'
      : num(Math.round(a.betweenness))],
    [t('account.reciprocity'), pct(a.reciprocity)], [t('account.community'), a.community ?? '–']]));
  if (a.metricsAt) main.append(h('p', { class: 'muted' }, t('account.metricsRun'), timeElement(a.metricsAt)));

  const types = Object.entries(a.degrees || {});
  main.append(h('div', { class: 'grid' },
    h('section', { class: 'card', 'aria-labelledby': 'degrees' }, h('h2', { id: 'degrees' }, t('account.byType')),
      types.length === 0 ? empty(t('account.noRelationship')) : h('table', {},
        h('caption', {}, t('account.byTypeCaption')),
        h('thead', {}, h('tr', {}, ['account.type', 'account.accountsIn', 'account.accountsOut', 'account.weightIn',
          'account.weightOut'].map((key, i) => h('th', { scope: 'col', class: i ? 'num' : null }, t(key))))),
        h('tbody', {}, types.map(([type, d]) => h('tr', {}, h('th', { scope: 'row' }, t(`relationship.${type}`)),
          h('td', { class: 'num' }, num(d.in)), h('td', { class: 'num' }, num(d.out)),
          h('td', { class: 'num' }, num(d.weightedIn)), h('td', { class: 'num' }, num(d.weightedOut))))))),
    h('section', { class: 'card', 'aria-labelledby': 'partners' }, h('h2', { id: 'partners' }, t('account.partners')),
      profile.topPartners.length === 0 ? empty(t('account.nobody')) : h('table', {},
        h('caption', {}, t('account.partnersCaption')),
        h('thead', {}, h('tr', {}, ['dialogue.account', 'account.towards', 'account.from'].map((key, i) =>
          h('th', { scope: 'col', class: i ? 'num' : null }, t(key))))),
        h('tbody', {}, profile.topPartners.map(p => h('tr', {},
          h('td', {}, accountLink(p.accountId, p.displayName || p.handle || p.accountId)),
          h('td', { class: 'num' }, num(p.weightOut)), h('td', { class: 'num' }, num(p.weightIn)))))))));

  main.append(h('section', { 'aria-labelledby': 'ego' }, h('h2', { id: 'ego' }, t('account.ego')),
    h('p', { class: 'muted' }, t('account.egoSize', { accounts: num(network.nodes.length),
      relationships: num(network.edges.length) }), network.pruning?.pruned ? ` (${network.pruning.method})` : '',
    '.')));
  let layout = null;
  if (network.nodes.length > 1) {
    const maxRank = Math.max(...network.nodes.map(n => n.pagerank || 0), 1e-9);
    const canvas = h('canvas', { tabindex: 0, role: 'img', style: { height: '420px' },
      'aria-label': t('account.egoLabel', { who: a.displayName || a.id, n: network.nodes.length }) });
    const tip = h('div', { class: 'graph-tip', 'aria-hidden': 'true' });
    main.append(h('div', { class: 'graph-wrap' }, canvas, tip));
    layout = new ForceGraph(canvas, tip, {
      nodes: network.nodes.map(n => ({ id: n.id, label: n.handle || n.id, colour: communityColour(n.community),
        radius: n.id === a.id ? 14 : 3 + 11 * Math.sqrt((n.pagerank || 0) / maxRank),
        organisation: organisations.has(n.id), data: n })),
      edges: network.edges,
      onSelect: n => { location.hash = `#/accounts/${enc(n.id)}`; },
      describe: n => `${n.data.displayName || n.label} (${n.data.platform})`,
    });
  }
  main.append(h('section', { 'aria-labelledby': 'posts' }, h('h2', { id: 'posts' }, t('account.latestPosts')),
    posts.items.length === 0 ? empty(t('account.noPost')) : h('ol', { class: 'feed' },
      posts.items.map(m => h('li', {}, timeElement(m.createdAt), ': ',
        m.kind === 'repost' ? h('em', {}, t('post.reposted')) : (m.text || ''), ' ',
        conversationLink(m.conversationId, t('post.conversation')))))));
  return layout ? () => layout.stop() : null;
}
