// The inbox: people waiting for an organisation account's answer, oldest first. The team assigns each and marks it
// handled; a public reply takes it out by itself. Handled is not answered: the response rate counts replies only.
import { h, enc, empty, accountLink, conversationLink, timeElement, duration, externalLink, select, platformOptions,
  windowOptions, liveUpdates, num } from '../ui.js';
import { get, send, organisationAccounts, session } from '../api.js';
import { t } from '../i18n.js';

export async function render(main, { id, params, live, refresh }) {
  const accounts = [...await organisationAccounts()].sort();
  main.append(h('h1', {}, id ? t('inbox.titleOf', { id }) : t('inbox.title')));
  if (accounts.length === 0) {
    main.append(empty(t('dialogue.noOrganisation')));
    return null;
  }
  const account = id || accounts[0];
  const chosen = {
    window: ['24h', '7d', '30d'].includes(params.get('window')) ? params.get('window') : '30d',
    state: ['open', 'handled', 'all'].includes(params.get('state')) ? params.get('state') : 'open',
    platform: params.get('platform') || '',
    lang: params.get('lang') || '',
    minAgeMinutes: params.get('minAgeMinutes') || '',
    assignedTo: params.get('assignedTo') || '',
  };
  const form = h('form', { class: 'filters', 'aria-label': t('inbox.filterLabel') },
    select('account', t('dialogue.organisationAccount'), accounts.map(a => [a, a]), account),
    select('state', t('inbox.state'), [['open', t('inbox.state.open')], ['handled', t('inbox.state.handled')],
      ['all', t('inbox.state.all')]], chosen.state),
    select('window', t('filter.window'), windowOptions(['24h', '7d', '30d']), chosen.window),
    select('platform', t('filter.platform'), platformOptions(), chosen.platform),
    h('label', {}, t('filter.language'), h('input', { name: 'lang', value: chosen.lang, size: 4, placeholder: 'fr' })),
    h('label', {}, t('inbox.minAge'), h('input', { name: 'minAgeMinutes', type: 'number', min: 0,
      value: chosen.minAgeMinutes, style: { width: '6rem' } })),
    h('label', {}, t('inbox.assignedTo'), h('input', { name: 'assignedTo', value: chosen.assignedTo, size: 10 })),
    h('button', { type: 'submit' }, t('filter.show')));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v && k !== 'account') next.set(k, v);
    location.hash = `#/inbox/${enc(new FormData(form).get('account'))}?${next}`;
  });
  main.append(form);

  const [page, me] = await Promise.all([get(`inbox/${enc(account)}`, { window: chosen.window, state: chosen.state,
    platform: chosen.platform, lang: chosen.lang, minAgeMinutes: chosen.minAgeMinutes,
    assignedTo: chosen.assignedTo, limit: 200 }), session()]);
  const canWrite = me.role === 'operator' || me.role === 'admin';
  main.append(h('p', { role: 'status', id: 'inbox-summary' }, t('inbox.summary', { waiting: num(page.waiting),
    handled: num(page.handled) }), ' ', h('a', { href: `#/dialogue/${enc(account)}` }, t('account.dialogueMetrics'))));
  if (page.items.length === 0) {
    main.append(empty(t('inbox.empty')));
  } else {
    main.append(h('table', { id: 'inbox' }, h('caption', {}, t('inbox.caption', { account })),
      h('thead', {}, h('tr', {}, ['inbox.waiting', 'report.who', 'report.text', 'inbox.team', 'dialogue.links']
        .map(key => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, page.items.map(item => row(account, item, canWrite, refresh)))));
  }
  // A public reply, or a new mention of the account, changes the queue: shown again a moment after.
  const platform = account.slice(0, account.indexOf(':'));
  return liveUpdates(main, live, { concern: m => m.platform === platform, refresh, what: t('inbox.liveWhat'),
    automatic: true });
}

function row(account, item, canWrite, refresh) {
  const status = h('span', { class: 'muted' });
  const team = h('td', {},
    item.assignedTo ? h('p', {}, t('inbox.assignedLine', { who: item.assignedTo, by: item.assignedBy }), ' ',
      timeElement(item.assignedAt)) : null,
    item.handledAt ? h('p', {}, h('span', { class: 'badge' }, t('inbox.handledBadge')), ' ',
      t('inbox.handledLine', { by: item.handledBy }), ' ', timeElement(item.handledAt)) : null);
  if (canWrite) {
    const assignee = h('input', { name: 'assignee', value: item.assignedTo || '', size: 10,
      'aria-label': t('inbox.assignLabel', { who: item.authorHandle || item.authorId }) });
    const assign = h('button', { type: 'button', class: 'secondary' }, t('inbox.assign'));
    assign.addEventListener('click', () => mark(account, item, { assignedTo: assignee.value.trim() || null }, status,
      refresh));
    const handle = h('button', { type: 'button', class: item.handledAt ? 'secondary' : null,
      'data-mention': item.mentionId }, item.handledAt ? t('inbox.reopen') : t('inbox.markHandled'));
    handle.addEventListener('click', () => mark(account, item, { handled: !item.handledAt }, status, refresh));
    team.append(h('p', {}, assignee, ' ', assign, ' ', handle, ' ', status));
  }
  return h('tr', { 'data-mention': item.mentionId },
    h('td', {}, duration(item.waitingSeconds), h('br'), timeElement(item.createdAt)),
    h('td', {}, accountLink(item.authorId, item.authorHandle || item.authorId), h('br'),
      h('span', { class: 'muted' }, [item.platform, item.lang].filter(Boolean).join(' · '))),
    h('td', {}, item.text || ''),
    team,
    h('td', {}, externalLink(item.url, t('post.original')), ' ',
      conversationLink(item.conversationId, t('dialogue.thread'))));
}

async function mark(account, item, change, status, refresh) {
  status.textContent = t('inbox.saving');
  try {
    await send('PUT', `inbox/${enc(account)}/items/${enc(item.mentionId)}`, change);
    refresh();
  } catch (error) {
    status.textContent = error.message;
    status.setAttribute('role', 'alert');
  }
}
