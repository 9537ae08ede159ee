// Dialogue: does an organisation account answer people, how fast, and does dialogue flow both ways?
import { h, enc, num, pct, duration, select, figures, empty, accountLink, conversationLink, windowStart,
  timeElement, externalLink, liveUpdates, windowOptions } from '../ui.js';
import { t, lang } from '../i18n.js';
import { get, organisationAccounts } from '../api.js';
import { lineChart } from '../charts.js';

export async function render(main, { id, params, live, refresh }) {
  const accounts = [...await organisationAccounts()].sort();
  main.append(h('h1', {}, id ? t('dialogue.titleOf', { id }) : t('dialogue.title')));
  if (accounts.length === 0) {
    main.append(empty(t('dialogue.noOrganisation')));
    return;
  }
  const account = id || accounts[0];
  const window = ['24h', '7d', '30d', 'all'].includes(params.get('window')) ? params.get('window') : '30d';
  const form = h('form', { class: 'filters', 'aria-label': t('dialogue.choose') },
    select('account', t('dialogue.organisationAccount'), accounts.map(a => [a, a]), account),
    select('window', t('filter.window'), windowOptions(['24h', '7d', '30d', 'all']), window),
    h('button', { type: 'submit' }, t('filter.show')));
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
  main.append(h('p', {}, accountLink(account, t('dialogue.profile')), ' · ', h('a', { href: `#/inbox/${enc(account)}` },
    t('inbox.title')), ' · ', h('a', { href: `/api/reports/weekly/${enc(account)}?format=html&lang=${lang}`,
    download: '' }, t('dialogue.weeklyReport')), ' · ', t('dialogue.computed'), ' ', timeElement(d.computedAt)));
  main.append(h('section', { 'aria-labelledby': 'answers' }, h('h2', { id: 'answers' }, t('dialogue.answers')),
    figures([[t('dialogue.peopleMentions'), num(d.peopleMentions)], [t('dialogue.answered'), num(d.answered)],
      [t('dialogue.responseRate'), pct(d.responseRate), d.responseRate === null ? '' : d.responseRate >= 0.5
        ? 'rate-good' : 'rate-bad'],
      [t('dialogue.medianFirstResponse'), duration(d.medianFirstResponseSeconds)],
      [t('dialogue.p90'), duration(d.p90FirstResponseSeconds)], [t('dialogue.unanswered'), num(d.unansweredCount)]])));

  const points = timeline.points;
  const per = timeline.interval === 'hour' ? 'Hour' : 'Day';
  main.append(h('section', { 'aria-labelledby': 'over-time' }, h('h2', { id: 'over-time' }, t('dialogue.overTime')),
    h('div', {},
      lineChart([{ key: t('dialogue.series.rate'), points: points.map(p => ({ at: p.at, value: p.responseRate })) }],
        { label: t(`dialogue.ratePer${per}`), format: pct }),
      lineChart([{ key: t('dialogue.series.median'), points: points.map(p => ({ at: p.at,
        value: p.medianFirstResponseSeconds })) }], { label: t(`dialogue.medianPer${per}`), format: duration }),
      lineChart([{ key: t('dialogue.series.mentions'), points: points.map(p => ({ at: p.at,
        value: p.peopleMentions })) }, { key: t('dialogue.series.answered'), points: points.map(p => ({ at: p.at,
        value: p.answered })) }], { label: t(`dialogue.mentionsPer${per}`) }))));

  const most = Math.max(d.upwardFlow, d.downwardFlow, 1);
  main.append(h('section', { 'aria-labelledby': 'flow' }, h('h2', { id: 'flow' }, t('dialogue.flow')),
    h('div', { class: 'flow' }, h('span', {}, t('dialogue.upward')),
      h('span', { class: 'bar up', style: { width: `${d.upwardFlow / most * 100}%` }, 'aria-hidden': 'true' }),
      h('span', { class: 'value' }, num(d.upwardFlow))),
    h('div', { class: 'flow' }, h('span', {}, t('dialogue.downward')),
      h('span', { class: 'bar down', style: { width: `${d.downwardFlow / most * 100}%` }, 'aria-hidden': 'true' }),
      h('span', { class: 'value' }, num(d.downwardFlow))),
    figures([[t('dialogue.exchanges'), num(d.exchanges)], [t('dialogue.dialogues'), num(d.dialogues)],
      [t('dialogue.longest'), t('dialogue.turns', { n: num(d.maxTurns) })], [t('dialogue.partners'), num(d.partners)],
      [t('account.reciprocity'), pct(d.reciprocity)], [t('dialogue.horizontality'), pct(d.horizontality)]]),
    h('p', { class: 'muted' }, t('dialogue.horizontalityNote'))));

  const queue = await get(`dialogue/${enc(account)}/unanswered`, { window });
  main.append(h('section', { 'aria-labelledby': 'queue' },
    h('h2', { id: 'queue' }, t('dialogue.queue', { n: num(queue.unansweredCount) })),
    queue.items.length === 0 ? empty(t('dialogue.nothingUnanswered')) : h('table', {},
      h('caption', {}, t('dialogue.queueCaption', { account })),
      h('thead', {}, h('tr', {}, ['report.when', 'report.who', 'report.text', 'dialogue.links']
        .map(key => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, queue.items.map(u => h('tr', {},
        h('td', {}, timeElement(u.createdAt)),
        h('td', {}, accountLink(u.authorId)),
        h('td', {}, u.text || ''),
        h('td', {}, externalLink(u.url, t('post.original')),
          ' ', conversationLink(u.conversationId, t('dialogue.thread')))))))));
  // The account's own posts, and any post on its platform, may change these figures: computed again when asked.
  const platform = account.slice(0, account.indexOf(':'));
  return liveUpdates(main, live, { concern: m => m.platform === platform, refresh,
    what: t('dialogue.liveWhat', { platform }) });
}
