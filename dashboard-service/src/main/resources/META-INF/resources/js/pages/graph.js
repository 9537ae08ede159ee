// The relationship graph: who replies to, names, quotes and reposts whom. Colour: community; size: PageRank.
import { h, enc, num, select, empty, accountLink, windowStart, communityColour, onFilter, liveUpdates }
  from '../ui.js';
import { get, query, organisationAccounts } from '../api.js';
import { ForceGraph } from '../force.js';

export async function render(main, { params, live, refresh }) {
  const chosen = {
    type: params.get('type') || 'all',
    window: params.get('window') || 'all',
    limit: params.get('limit') || '1500',
    minWeight: params.get('minWeight') || '1',
  };
  main.append(h('h1', {}, 'Relationship graph'));
  const form = h('form', { class: 'filters', 'aria-label': 'Filter the graph' },
    select('type', 'Relationship', [['all', 'All'], ['reply', 'Replies'], ['mention', 'Mentions'],
      ['quote', 'Quotes'], ['repost', 'Reposts']], chosen.type),
    select('window', 'Time window', [['all', 'All time'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'],
      ['30d', 'Last 30 days']], chosen.window),
    select('limit', 'Heaviest relationships kept', [['500', '500'], ['1500', '1,500'], ['3000', '3,000'],
      ['5000', '5,000']], chosen.limit),
    h('label', {}, 'Smallest weight', h('input', { name: 'minWeight', type: 'number', min: 1, value: chosen.minWeight,
      style: { width: '5rem' } })),
    h('button', { type: 'submit' }, 'Show'));
  onFilter(form, 'graph');
  main.append(form);

  const request = { type: chosen.type, from: windowStart(chosen.window), limit: chosen.limit,
    minWeight: chosen.minWeight };
  const [graph, organisations] = await Promise.all([get('graph', request), organisationAccounts()]);
  const p = graph.pruning;
  main.append(h('p', { id: 'graph-summary' }, `${num(graph.nodes.length)} accounts and ${num(graph.edges.length)} `
    + `relationships shown. `, p.pruned ? `Pruned: ${p.method}, ${num(p.keptEdges)} of ${num(p.matchingEdges)} `
    + 'matching relationships kept.' : 'Nothing pruned.'));
  if (graph.nodes.length === 0) {
    main.append(empty('No relationship matches these filters.'));
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
    'aria-label': `Relationship graph of ${graph.nodes.length} accounts. Use the arrow keys to move, + and - to `
      + 'zoom, 0 to fit. The list beside it names the most central accounts.' });
  const tip = h('div', { class: 'graph-tip', 'aria-hidden': 'true' });
  const ranked = [...graph.nodes].sort((a, b) => (b.pagerank || 0) - (a.pagerank || 0)).slice(0, 25);
  const communities = new Map();
  for (const n of graph.nodes) communities.set(n.community, (communities.get(n.community) || 0) + 1);
  const topCommunities = [...communities.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
  main.append(h('div', { class: 'side' },
    h('div', { class: 'graph-wrap' }, canvas, tip),
    h('aside', { 'aria-label': 'Graph legend and central accounts' },
      h('h2', {}, 'Communities'),
      h('ul', { class: 'legend' }, topCommunities.map(([community, size]) => h('li', {},
        h('span', { class: 'swatch', style: { background: communityColour(community) } }),
        community === null || community === undefined ? `no community yet (${size})`
          : `community ${community} (${size})`))),
      h('p', { class: 'muted' }, 'Size: PageRank. Dark ring: organisation account.'),
      h('h2', {}, 'Most central here'),
      h('ol', {}, ranked.map(n => h('li', {}, accountLink(n.id, n.displayName || n.handle || n.id), ` (${n.platform})`))),
      h('h2', {}, 'Download'),
      h('ul', {}, [['gexf', 'gexf', 'GEXF 1.3 (Gephi)'], ['gexf-1.2draft', 'gexf', 'GEXF 1.2draft (networkx, Gephi)'],
        ['graphml', 'graphml', 'GraphML (networkx, igraph, yEd, Gephi)'], ['csv', 'csv', 'CSV edge list']]
        .map(([format, extension, label]) => h('li', {}, h('a', {
          href: `/api/graph${query({ ...request, format })}`, download: `palabre-graph.${extension}`,
        }, label)))))));
  const layout = new ForceGraph(canvas, tip, {
    nodes,
    edges: graph.edges,
    onSelect: n => { location.hash = `#/accounts/${enc(n.id)}`; },
    describe: n => `${n.data.displayName || n.label} (${n.data.platform}), PageRank ${
      (n.data.pagerank || 0).toFixed(4)}, degree ${num(n.data.degree)}, community ${n.data.community ?? '–'}`,
  });
  // New mentions may add relationships: the graph is drawn again when asked, not under the reader's eyes.
  const stop = liveUpdates(main, live, { concern: m => !m.deleted, refresh, what: 'that may change the graph' });
  return () => {
    stop();
    layout.stop();
  };
}
