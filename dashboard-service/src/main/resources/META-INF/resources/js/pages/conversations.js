// Conversations: filter, sort and page through the reply threads.
import { h, num, select, empty, conversationLink, windowStart, timeElement, PLATFORM_OPTIONS,
  onFilter } from '../ui.js';
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
  main.append(h('h1', {}, 'Conversations'));
  const form = h('form', { class: 'filters', 'aria-label': 'Filter conversations' },
    select('sort', 'Sort by', [['recent', 'Recent activity'], ['size', 'Size'], ['depth', 'Depth'],
      ['participants', 'Participants']], chosen.sort),
    select('platform', 'Platform', PLATFORM_OPTIONS, chosen.platform),
    h('label', {}, 'Language', h('input', { name: 'lang', value: chosen.lang, size: 4, placeholder: 'fr' })),
    h('label', {}, 'At least this many posts', h('input', { name: 'minSize', type: 'number', min: 0,
      value: chosen.minSize, style: { width: '6rem' } })),
    select('organisation', 'Organisation', [['', 'Any'], ['true', 'Took part'], ['false', 'Did not take part']],
      chosen.organisation),
    select('window', 'Active in', [['all', 'All time'], ['24h', 'Last 24 hours'], ['7d', 'Last 7 days'],
      ['30d', 'Last 30 days']], chosen.window),
    h('button', { type: 'submit' }, 'Apply'));
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
    results.append(empty('No conversation matches these filters.'));
    return;
  }
  results.append(conversationRows(found.items, new Set(), cursor ? 'More conversations' : 'Conversations found'));
  if (found.nextCursor) {
    const more = h('button', { type: 'button', class: 'secondary' }, 'Load more');
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
    h('thead', {}, h('tr', {}, ['Conversation', 'Posts', 'Depth', 'People', 'Platform', 'Last activity',
      'Organisation'].map((t, i) => h('th', { scope: 'col', class: i && i < 4 ? 'num' : null }, t)))),
    h('tbody', {}, items.map(c => h('tr', {},
      h('td', {}, conversationLink(c.id, c.root ? `${c.root.authorHandle || c.root.authorId}: ${excerpt(c.root.text)}`
        : `Thread whose first post is not stored (${c.id})`)),
      h('td', { class: 'num' }, num(c.size)),
      h('td', { class: 'num' }, num(c.depth)),
      h('td', { class: 'num' }, num(c.participants)),
      h('td', {}, c.platforms.join(', ')),
      h('td', {}, timeElement(c.lastActivityAt)),
      h('td', {}, c.organisationTookPart ? h('span', { class: 'badge org' }, 'took part') : '')))));
}

function excerpt(text) {
  if (!text) return '(no text)';
  return text.length > 110 ? `${text.slice(0, 107)}…` : text;
}
