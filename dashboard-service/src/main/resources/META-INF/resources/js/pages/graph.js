// The relationship graph: who replies to, names, quotes and reposts whom. Colour: community; size: PageRank.
import { h, enc, num, select, empty, accountLink, windowStart, communityColour, onFilter, liveUpdates,
  windowOptions } from '../ui.js';
import { t } from '../i18n.js';
import { get, query, organisationAccounts } from '../api.js';
import { ForceGraph } from '../force.js';

export async function render(main, { params, live, refresh }) {
  const chosen = {
    type: params.get('type') || 'all',
    window: params.get('window') || 'all',
    limit: params.get('limit') || '1500',
    minWeight: params.get('minWeight') || '1',
  };
  main.append(h('h1', {}, t('graph.title')));
  const form = h('form', { class: 'filters', 'aria-label': t('graph.filterLabel') },
    select('type', t('graph.relationship'), [['all', t('graph.type.all')], ['reply', t('graph.type.reply')],
      ['mention', t('graph.type.mention')], ['quote', t('graph.type.quote')], ['repost', t('graph.type.repost')]],
    chosen.type),
    select('window', t('filter.window'), windowOptions(['all', '24h', '7d', '30d']), chosen.window),
    select('limit', t('graph.limit'), ['500', '1500', '3000', '5000'].map(n => [n, num(Number(n))]), chosen.limit),
    h('label', {}, t('graph.minWeight'), h('input', { name: 'minWeight', type: 'number', min: 1,
      value: chosen.minWeight, style: { width: '5rem' } })),
    h('button', { type: 'submit' }, t('filter.show')));
  onFilter(form, 'graph');
  main.append(form);

  const request = { type: chosen.type, from: windowStart(chosen.window), limit: chosen.limit,
    minWeight: chosen.minWeight };
  const [graph, organisations] = await Promise.all([get('graph', request), organisationAccounts()]);
  const p = graph.pruning;
  main.append(h('p', { id: 'graph-summary' }, t('graph.summary', { accounts: num(graph.nodes.length),
    relationships: num(graph.edges.length) }), ' ', p.pruned ? t('graph.pruned', { method: p.method,
    kept: num(p.keptEdges), matching: num(p.matchingEdges) }) : t('graph.notPruned')));
  if (graph.nodes.length === 0) {
    main.append(empty(t('graph.none')));
    return null;
  }
  const maxRank = Math.max(...graph.nodes.map(n => n.pagerank || 0), 1e-9);
  const nodes = graph.nodes.map(n => ({
    id: n.id,
    label: n.handle || n.id,
    colour: communityColour(n.community),
    radius: 3 + 14 * Math.sqrt((n.pagerank || 0) / maxRank),
    organisation: organisations.has(n.id),
    data: n,
  }));
  const canvas = h('canvas', { tabindex: 0, role: 'img', id: 'graph-canvas', 'data-nodes': nodes.length,
    'aria-label': t('graph.canvasLabel', { n: graph.nodes.length }) });
  const tip = h('div', { class: 'graph-tip', 'aria-hidden': 'true' });
  const ranked = [...graph.nodes].sort((a, b) => (b.pagerank || 0) - (a.pagerank || 0)).slice(0, 25);
  const communities = new Map();
  for (const n of graph.nodes) communities.set(n.community, (communities.get(n.community) || 0) + 1);
  const topCommunities = [...communities.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  main.append(h('div', { class: 'side' },
    h('div', { class: 'graph-wrap' }, canvas, tip),
    h('aside', { 'aria-label': t('graph.legendLabel') },
      h('h2', {}, t('graph.communities')),
      h('ul', { class: 'legend' }, topCommunities.map(([community, size]) => h('li', {},
        h('span', { class: 'swatch', style: { background: communityColour(community) } }),
        community === null || community === undefined ? t('graph.noCommunity', { size })
          : t('graph.community', { community, size })))),
      h('p', { class: 'muted' }, t('graph.key')),
      h('h2', {}, t('graph.central')),
      h('ol', {}, ranked.map(n => h('li', {}, accountLink(n.id, n.displayName || n.handle || n.id), ` (${n.platform})`))),
      h('h2', {}, t('graph.download')),
      h('ul', {}, [['gexf', 'gexf', 'GEXF 1.3 (Gephi)'], ['gexf-1.2draft', 'gexf', 'GEXF 1.2draft (networkx, Gephi)'],
        ['graphml', 'graphml', 'GraphML (networkx, igraph, yEd, Gephi)'], ['csv', 'csv', t('graph.csv')]]
        .map(([format, extension, label]) => h('li', {}, h('a', {
          href: `/api/graph${query({ ...request, format })}`, download: `palabre-graph.${extension}`,
        }, label)))))));
  const layout = new ForceGraph(canvas, tip, {
    nodes,
    edges: graph.edges,
    onSelect: n => { location.hash = `#/accounts/${enc(n.id)}`; },
    describe: n => t('graph.describe', { who: n.data.displayName || n.label, platform: n.data.platform,
      pagerank: (n.data.pagerank || 0).toFixed(4), degree: num(n.data.degree), community: n.data.community ?? '–' }),
  });
  // New mentions may add relationships: the graph is drawn again when asked, not under the reader's eyes.
  const stop = liveUpdates(main, live, { concern: m => !m.deleted, refresh, what: t('graph.liveWhat') });
  return () => {
    stop();
    layout.stop();
  };
}
