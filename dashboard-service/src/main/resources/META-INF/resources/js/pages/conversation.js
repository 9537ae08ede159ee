// One conversation: the reply tree, with authors, the time each reply took, and the organisation's turns marked.
import { h, num, duration, figures, accountLink, timeElement, externalLink, liveUpdates } from '../ui.js';
import { get, organisationAccounts } from '../api.js';

export async function render(main, { id, live, refresh }) {
  const [detail, organisations] = await Promise.all([get(`conversations/${encodeURIComponent(id)}`),
    organisationAccounts()]);
  const c = detail.conversation;
  const root = c.root;
  main.append(h('h1', {}, root ? `Conversation started by ${root.authorHandle || root.authorId}`
    : 'Conversation whose first post is not stored'));
  let organisationTurns = 0;
  const count = nodes => nodes.forEach(n => {
    if (organisations.has(n.mention.author.id)) organisationTurns++;
    count(n.replies);
  });
  count(detail.tree);
  main.append(figures([['Posts', num(c.size)], ['Depth', num(c.depth)], ['People', num(c.participants)],
    ['Organisation turns', num(organisationTurns)], ['Platform', c.platforms.join(', ')],
    ['Lasted', duration((Date.parse(c.lastActivityAt) - Date.parse(c.firstActivityAt)) / 1000)]]));
  if (detail.mentionsShown < c.size) {
    main.append(h('p', { class: 'muted' }, `Showing the first ${num(detail.mentionsShown)} of ${num(c.size)} posts.`));
  }
  if (!c.rootPresent) {
    main.append(h('p', { class: 'muted' }, 'The first post of this thread is not stored; replies to posts that are '
      + 'not stored are shown at the top level.'));
  }
  main.append(h('ol', { class: 'tree', 'aria-label': 'Reply tree' }, detail.tree.map(n => node(n, null, organisations))));
  // New posts of this conversation are shown as they are stored, a moment after the last one.
  return liveUpdates(main, live, { concern: m => m.conversationId === id, refresh, what: 'in this conversation',
    automatic: true });
}

function node(n, parent, organisations) {
  const m = n.mention;
  const organisation = organisations.has(m.author.id);
  const gap = parent ? (Date.parse(m.createdAt) - Date.parse(parent.createdAt)) / 1000 : null;
  return h('li', {},
    h('article', { class: `post${organisation ? ' org' : ''}`, 'aria-label': `${m.author.handle || m.author.id}${
      organisation ? ' (organisation)' : ''}, ${m.createdAt}` },
      h('div', { class: 'meta' },
        h('span', { class: 'who' }, accountLink(m.author.id, m.author.displayName || m.author.handle || m.author.id)),
        m.author.handle ? h('span', {}, `@${m.author.handle}`) : null,
        organisation ? h('span', { class: 'badge org' }, 'Organisation') : null,
        timeElement(m.createdAt),
        gap !== null ? h('span', { class: 'gap', title: 'Time since the post it answers' }, `+${duration(gap)}`) : null,
        m.lang ? h('span', {}, m.lang) : null,
        m.edited ? h('span', {}, 'edited') : null,
        externalLink(m.url, 'original')),
      m.deleted ? h('p', { class: 'muted' }, 'Deleted by its author.')
        : h('p', {}, m.kind === 'repost' ? 'Reposted.' : m.text || '')),
    n.missingParentId ? h('p', { class: 'muted' }, `Answers a post that is not stored: ${n.missingParentId}`) : null,
    n.replies.length ? h('ol', {}, n.replies.map(r => node(r, m, organisations))) : null);
}
