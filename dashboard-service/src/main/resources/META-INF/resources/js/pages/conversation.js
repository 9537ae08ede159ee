// One conversation: the reply tree, with authors, the time each reply took, and the organisation's turns marked.
import { h, num, duration, figures, accountLink, timeElement, externalLink, liveUpdates } from '../ui.js';
import { get, organisationAccounts } from '../api.js';
import { t } from '../i18n.js';

export async function render(main, { id, live, refresh }) {
  const [detail, organisations] = await Promise.all([get(`conversations/${encodeURIComponent(id)}`),
    organisationAccounts()]);
  const c = detail.conversation;
  const root = c.root;
  main.append(h('h1', {}, root ? t('conversation.startedBy', { who: root.authorHandle || root.authorId })
    : t('conversation.rootMissing')));
  let organisationTurns = 0;
  const count = nodes => nodes.forEach(n => {
    if (organisations.has(n.mention.author.id)) organisationTurns++;
    count(n.replies);
  });
  count(detail.tree);
  main.append(figures([[t('conversations.posts'), num(c.size)], [t('conversations.depth'), num(c.depth)],
    [t('conversations.people'), num(c.participants)], [t('conversation.organisationTurns'), num(organisationTurns)],
    [t('conversations.platform'), c.platforms.join(', ')],
    [t('conversation.lasted'), duration((Date.parse(c.lastActivityAt) - Date.parse(c.firstActivityAt)) / 1000)]]));
  if (detail.mentionsShown < c.size) {
    main.append(h('p', { class: 'muted' }, t('conversation.showing', { shown: num(detail.mentionsShown),
      size: num(c.size) })));
  }
  if (!c.rootPresent) {
    main.append(h('p', { class: 'muted' }, t('conversation.rootMissingNote')));
  }
  main.append(h('ol', { class: 'tree', 'aria-label': t('conversation.tree') },
    detail.tree.map(n => node(n, null, organisations))));
  // New posts of this conversation are shown as they are stored, a moment after the last one.
  return liveUpdates(main, live, { concern: m => m.conversationId === id, refresh,
    what: t('conversation.liveWhat'), automatic: true });
}

function node(n, parent, organisations) {
  const m = n.mention;
  const organisation = organisations.has(m.author.id);
  const gap = parent ? (Date.parse(m.createdAt) - Date.parse(parent.createdAt)) / 1000 : null;
  return h('li', {},
    h('article', { class: `post${organisation ? ' org' : ''}`, 'aria-label': `${m.author.handle || m.author.id}${
      organisation ? ` (${t('conversation.organisationLower')})` : ''}, ${m.createdAt}` },
      h('div', { class: 'meta' },
        h('span', { class: 'who' }, accountLink(m.author.id, m.author.displayName || m.author.handle || m.author.id)),
        m.author.handle ? h('span', {}, `@${m.author.handle}`) : null,
        organisation ? h('span', { class: 'badge org' }, t('conversations.organisation')) : null,
        timeElement(m.createdAt),
        gap !== null ? h('span', { class: 'gap', title: t('conversation.gap') }, `+${duration(gap)}`) : null,
        m.lang ? h('span', {}, m.lang) : null,
        m.edited ? h('span', {}, t('post.edited')) : null,
        externalLink(m.url, t('post.original'))),
      m.deleted ? h('p', { class: 'muted' }, t('post.deleted'))
        : h('p', {}, m.kind === 'repost' ? t('post.repostedSentence') : m.text || '')),
    n.missingParentId ? h('p', { class: 'muted' }, t('conversation.missingParent', { id: n.missingParentId }))
      : null,
    n.replies.length ? h('ol', {}, n.replies.map(r => node(r, m, organisations))) : null);
}
