// Conversations: filter, sort and page through the reply threads.
import { h, num, select, empty, conversationLink, windowStart, timeElement, platformOptions, windowOptions,
  onFilter } from '../ui.js';
import { t } from '../i18n.js';
import { get } from '../api.js';

export async function render(main, { params }) {
  const chosen = {
    sort: params.get('sort') || 'recent',
    platform: params.get('platform') || '',
    lang: params.get('lang') || '',
    minSize: params.get('minSize') || '',
    organisation: params.get('organisation') || '',
    window: params.get('window') || 'all',
  };
  main.append(h('h1', {}, t('conversations.title')));
  const form = h('form', { class: 'filters', 'aria-label': t('conversations.filterLabel') },
    select('sort', t('conversations.sortBy'), [['recent', t('conversations.sort.recent')],
      ['size', t('conversations.sort.size')], ['depth', t('conversations.sort.depth')],
      ['participants', t('conversations.sort.participants')]], chosen.sort),
    select('platform', t('filter.platform'), platformOptions(), chosen.platform),
    h('label', {}, t('filter.language'), h('input', { name: 'lang', value: chosen.lang, size: 4, placeholder: 'fr' })),
    h('label', {}, t('conversations.minSize'), h('input', { name: 'minSize', type: 'number', min: 0,
      value: chosen.minSize, style: { width: '6rem' } })),
    select('organisation', t('conversations.organisation'), [['', t('conversations.organisation.any')],
      ['true', t('conversations.organisation.tookPart')], ['false', t('conversations.organisation.didNot')]],
    chosen.organisation),
    select('window', t('conversations.activeIn'), windowOptions(['all', '24h', '7d', '30d']), chosen.window),
    h('button', { type: 'submit' }, t('filter.apply')));
  onFilter(form, 'conversations');
  main.append(form);
  const request = { sort: chosen.sort, platform: chosen.platform, lang: chosen.lang, minSize: chosen.minSize,
    organisation: chosen.organisation, from: windowStart(chosen.window), limit: 25 };
  const results = h('div', {});
  main.append(results);
  await page(results, request, null);
}

async function page(results, request, cursor) {
  const found = await get('conversations', { ...request, cursor });
  if (!cursor && found.items.length === 0) {
    results.append(empty(t('conversations.none')));
    return;
  }
  results.append(conversationRows(found.items, new Set(), cursor ? t('conversations.more')
    : t('conversations.found')));
  if (found.nextCursor) {
    const more = h('button', { type: 'button', class: 'secondary' }, t('filter.loadMore'));
    more.addEventListener('click', async () => {
      more.remove();
      await page(results, request, found.nextCursor);
    });
    results.append(more);
  }
}

/** A table of conversation summaries, each opening its reply tree. */
export function conversationRows(items, organisations, caption) {
  return h('table', {}, h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ['conversations.conversation', 'conversations.posts', 'conversations.depth',
      'conversations.people', 'conversations.platform', 'conversations.lastActivity', 'conversations.organisation']
      .map((key, i) => h('th', { scope: 'col', class: i && i < 4 ? 'num' : null }, t(key))))),
    h('tbody', {}, items.map(c => h('tr', {},
      h('td', {}, conversationLink(c.id, c.root ? `${c.root.authorHandle || c.root.authorId}: ${excerpt(c.root.text)}`
        : t('conversations.rootMissing', { id: c.id }))),
      h('td', { class: 'num' }, num(c.size)),
      h('td', { class: 'num' }, num(c.depth)),
      h('td', { class: 'num' }, num(c.participants)),
      h('td', {}, c.platforms.join(', ')),
      h('td', {}, timeElement(c.lastActivityAt)),
      h('td', {}, c.organisationTookPart ? h('span', { class: 'badge org' }, t('conversations.tookPartBadge'))
        : '')))));
}

function excerpt(text) {
  if (!text) return t('conversations.noText');
  return text.length > 110 ? `${text.slice(0, 107)}…` : text;
}
