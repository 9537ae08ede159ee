// One account: who it is, where it stands in the graph, whom it talks with, and its ego network.
import { h, enc, num, pct, figures, empty, accountLink, conversationLink, timeElement,
  communityColour } from '../ui.js';
import { get, organisationAccounts } from '../api.js';
import { ForceGraph } from '../force.js';

export async function render(main, { id }) {
  const [profile, network, posts, organisations] = await Promise.all([get(`accounts/${enc(id)}`),
    get(`accounts/${enc(id)}/network`, { depth: 1, perNode: 40 }), get('mentions', { author: id, limit: 10 }),
    organisationAccounts()]);
  const a = profile.account;
  main.append(h('h1', {}, a.displayName || a.handle || a.id));
  main.append(h('p', {}, `${a.handle ? `@${a.handle} on ` : ''}${a.platform}`,
    organisations.has(a.id) ? [' · ', h('span', { class: 'badge org' }, 'Organisation account'), ' · ',
      h('a', { href: `#/dialogue/${enc(a.id)}` }, 'Dialogue metrics')] : null));
  main.append(figures([['PageRank', a.pagerank === null || a.pagerank === undefined ? '–' : a.pagerank.toFixed(4)],
    ['Degree', num(a.degree)], ['Weighted degree', num(a.weightedDegree)], ['k-core', num(a.core)],
    ['Betweenness', a.betweenness === null || a.betweenness === undefined ? '–' : num(Math.round(a.betweenness))],
    ['Reciprocity', pct(a.reciprocity)], ['Community', a.community ?? '–']]));
  if (a.metricsAt) main.append(h('p', { class: 'muted' }, 'Graph metrics from the run of ', timeElement(a.metricsAt)));

  const types = Object.entries(a.degrees || {});
  main.append(h('div', { class: 'grid' },
    h('section', { class: 'card', 'aria-labelledby': 'degrees' }, h('h2', { id: 'degrees' }, 'Relationships by type'),
      types.length === 0 ? empty('No relationship yet.') : h('table', {},
        h('caption', {}, 'In: others towards this account. Out: this account towards others.'),
        h('thead', {}, h('tr', {}, ['Type', 'Accounts in', 'Accounts out', 'Weight in', 'Weight out'].map((t, i) =>
          h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
        h('tbody', {}, types.map(([type, d]) => h('tr', {}, h('th', { scope: 'row' }, type),
          h('td', { class: 'num' }, num(d.in)), h('td', { class: 'num' }, num(d.out)),
          h('td', { class: 'num' }, num(d.weightedIn)), h('td', { class: 'num' }, num(d.weightedOut))))))),
    h('section', { class: 'card', 'aria-labelledby': 'partners' }, h('h2', { id: 'partners' }, 'Top partners'),
      profile.topPartners.length === 0 ? empty('Nobody yet.') : h('table', {},
        h('caption', {}, 'Accounts it interacts with most (all relationship types)'),
        h('thead', {}, h('tr', {}, ['Account', 'Towards them', 'From them'].map((t, i) =>
          h('th', { scope: 'col', class: i ? 'num' : null }, t)))),
        h('tbody', {}, profile.topPartners.map(p => h('tr', {},
          h('td', {}, accountLink(p.accountId, p.displayName || p.handle || p.accountId)),
          h('td', { class: 'num' }, num(p.weightOut)), h('td', { class: 'num' }, num(p.weightIn)))))))));

  main.append(h('section', { 'aria-labelledby': 'ego' }, h('h2', { id: 'ego' }, 'Ego network'),
    h('p', { class: 'muted' }, `${num(network.nodes.length)} accounts, ${num(network.edges.length)} relationships`,
      network.pruning?.pruned ? ` (${network.pruning.method})` : '', '.')));
  let layout = null;
  if (network.nodes.length > 1) {
    const maxRank = Math.max(...network.nodes.map(n => n.pagerank || 0), 1e-9);
    const canvas = h('canvas', { tabindex: 0, role: 'img', style: { height: '420px' },
      'aria-label': `Ego network of ${a.displayName || a.id}: ${network.nodes.length} accounts. The partners table `
        + 'above lists the strongest ties.' });
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
  main.append(h('section', { 'aria-labelledby': 'posts' }, h('h2', { id: 'posts' }, 'Latest posts'),
    posts.items.length === 0 ? empty('No stored post by this account.') : h('ol', { class: 'feed' },
      posts.items.map(m => h('li', {}, timeElement(m.createdAt), ': ',
        m.kind === 'repost' ? h('em', {}, 'reposted') : (m.text || ''), ' ',
        conversationLink(m.conversationId, 'conversation'))))));
  return layout ? () => layout.stop() : null;
}
