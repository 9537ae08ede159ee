// Dialogue: does an organisation account answer people, how fast, and does dialogue flow both ways?
import { h, enc, num, pct, duration, select, figures, empty, accountLink, conversationLink, windowStart,
  timeElement, externalLink, liveUpdates } from '../ui.js';
import { get, organisationAccounts } from '../api.js';
import { lineChart } from '../charts.js';

export async function render(main, { id, params, live, refresh }) {
  const accounts = [...await organisationAccounts()].sort();
  main.append(h('h1', {}, id ? `Dialogue of ${id}` : 'Dialogue'));
  if (accounts.length === 0) {
    main.append(empty('No organisation account yet. Name the organisation\'s accounts in a listening query '
      + '(organisationAccounts); their dialogue metrics are computed from then on, over every mention stored.'));
    return;
  }
  const account = id || accounts[0];
  const window = ['24h', '7d', '30d', 'all'].includes(params.get('window')) ? params.get('window') : '30d';
  const form = h('form', { class: 'filters', 'aria-label': 'Choose account and window' },
    select('account', 'Organisation account', accounts.map(a => [a, a]), account),
    select('window', 'Time window', [['24h', 'Last 24 hours'], ['7d', 'Last 7 days'], ['30d', 'Last 30 days'],
      ['all', 'All time']], window),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const data = new FormData(form);
    location.hash = `#/dialogue/${enc(data.get('account'))}?window=${data.get('window')}`;
  });
  main.append(form);

  const from = windowStart(window);
  const [d, timeline] = await Promise.all([get(`dialogue/${enc(account)}`, { window }),
    get(`dialogue/${enc(account)}/timeline`, { from: from || undefined,
      interval: window === '24h' ? 'hour' : 'day' })]);
  main.append(h('p', {}, accountLink(account, 'Account profile'), ' · computed ', timeElement(d.computedAt)));
  main.append(h('section', { 'aria-labelledby': 'answers' }, h('h2', { id: 'answers' }, 'Answers'),
    figures([["People's mentions", num(d.peopleMentions)], ['Answered', num(d.answered)],
      ['Response rate', pct(d.responseRate), d.responseRate === null ? '' : d.responseRate >= 0.5 ? 'rate-good'
        : 'rate-bad'],
      ['Median first response', duration(d.medianFirstResponseSeconds)],
      ['90 % answered within', duration(d.p90FirstResponseSeconds)], ['Unanswered', num(d.unansweredCount)]])));

  const points = timeline.points;
  main.append(h('section', { 'aria-labelledby': 'over-time' }, h('h2', { id: 'over-time' }, 'Over time'),
    h('div', {},
      lineChart([{ key: 'response rate', points: points.map(p => ({ at: p.at, value: p.responseRate })) }],
        { label: `Response rate per ${timeline.interval}`, format: pct }),
      lineChart([{ key: 'median first response', points: points.map(p => ({ at: p.at,
        value: p.medianFirstResponseSeconds })) }], { label: `Median time to first response per ${timeline.interval}`,
        format: duration }),
      lineChart([{ key: "people's mentions", points: points.map(p => ({ at: p.at, value: p.peopleMentions })) },
        { key: 'answered', points: points.map(p => ({ at: p.at, value: p.answered })) }],
        { label: `People's mentions and answers per ${timeline.interval}` }))));

  const most = Math.max(d.upwardFlow, d.downwardFlow, 1);
  main.append(h('section', { 'aria-labelledby': 'flow' }, h('h2', { id: 'flow' }, 'Upward and downward flow'),
    h('div', { class: 'flow' }, h('span', {}, 'People → account'),
      h('span', { class: 'bar up', style: { width: `${d.upwardFlow / most * 100}%` }, 'aria-hidden': 'true' }),
      h('span', { class: 'value' }, num(d.upwardFlow))),
    h('div', { class: 'flow' }, h('span', {}, 'Account → people'),
      h('span', { class: 'bar down', style: { width: `${d.downwardFlow / most * 100}%` }, 'aria-hidden': 'true' }),
      h('span', { class: 'value' }, num(d.downwardFlow))),
    figures([['Exchanges', num(d.exchanges)], ['Dialogues (3+ turns)', num(d.dialogues)],
      ['Longest exchange', `${num(d.maxTurns)} turns`], ['Partners', num(d.partners)],
      ['Reciprocity', pct(d.reciprocity)], ['Horizontality', pct(d.horizontality)]]),
    h('p', { class: 'muted' }, 'Horizontality: the share of replies in the account\'s conversations that people '
      + 'exchange among themselves. Definitions: docs/dialogue-metrics.md.')));

  const queue = await get(`dialogue/${enc(account)}/unanswered`, { window });
  main.append(h('section', { 'aria-labelledby': 'queue' },
    h('h2', { id: 'queue' }, `Unanswered (${num(queue.unansweredCount)}), oldest first`),
    queue.items.length === 0 ? empty('Nothing unanswered in this window.') : h('table', {},
      h('caption', {}, `People's mentions ${account} has not answered`),
      h('thead', {}, h('tr', {}, ['When', 'Who', 'What they said', 'Links'].map(t => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, queue.items.map(u => h('tr', {},
        h('td', {}, timeElement(u.createdAt)),
        h('td', {}, accountLink(u.authorId)),
        h('td', {}, u.text || ''),
        h('td', {}, externalLink(u.url, 'original'),
          ' ', conversationLink(u.conversationId, 'thread'))))))));
  // The account's own posts, and any post on its platform, may change these figures: computed again when asked.
  const platform = account.slice(0, account.indexOf(':'));
  return liveUpdates(main, live, { concern: m => m.platform === platform, refresh,
    what: `on ${platform} that may change these figures` });
}
