// Alert history: every alert the rules fired, open or resolved, newest first, as they happen; and the deliveries
// that failed, which an operator can send again.
import { h, empty, timeElement, select } from '../ui.js';
import { get, send, session } from '../api.js';
import { t } from '../i18n.js';

export async function render(main, { params, live, refresh }) {
  main.append(h('h1', {}, t('alerts.title')));
  main.append(h('p', {}, h('a', { href: '#/alerts/rules' }, t('alerts.manageRules'))));
  const state = ['fired', 'resolved'].includes(params.get('state')) ? params.get('state') : '';
  const rule = params.get('rule') || '';
  const [page, rules, failed, me] = await Promise.all([get('alerts', { state, rule, limit: 100 }), get('alerts/rules'),
    get('alerts/deliveries', { status: 'failed', limit: 50 }), session()]);
  const form = h('form', { class: 'filters', 'aria-label': t('alerts.filterLabel') },
    select('state', t('alerts.state'), [['', t('alerts.state.any')], ['fired', t('alerts.state.fired')],
      ['resolved', t('alerts.state.resolved')]], state),
    select('rule', t('alerts.rule'), [['', t('alerts.anyRule')], ...rules.map(r => [String(r.id), r.name])], rule),
    h('button', { type: 'submit' }, t('filter.show')));
  form.addEventListener('submit', e => {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) next.set(k, v);
    location.hash = `#/alerts?${next}`;
  });
  main.append(form);

  main.append(page.items.length === 0 ? empty(rules.length ? t('alerts.none') : t('alerts.noRules'))
    : h('table', { id: 'alerts' }, h('caption', {}, t('alerts.caption')),
      h('thead', {}, h('tr', {}, ['alerts.firedAt', 'alerts.rule', 'alerts.what', 'alerts.state']
        .map(key => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, page.items.map(a => h('tr', { 'data-alert': a.id, class: a.state === 'fired' ? 'open' : null },
        h('td', {}, h('a', { href: `#/alerts/${a.id}` }, timeElement(a.firedAt))),
        h('td', {}, a.ruleName, h('br'), h('span', { class: 'muted' }, t(`rule.type.${a.type}`))),
        h('td', {}, a.summary),
        h('td', {}, h('span', { class: `badge ${a.state === 'fired' ? 'alert-open' : ''}` },
          t(`alerts.state.${a.state}`)), a.resolvedAt ? [' ', timeElement(a.resolvedAt)] : null))))));

  if (failed.length) {
    const canWrite = me.role === 'operator' || me.role === 'admin';
    main.append(h('section', { 'aria-labelledby': 'failed' }, h('h2', { id: 'failed' }, t('alerts.failed')),
      h('table', {}, h('caption', {}, t('alerts.failedCaption')),
        h('thead', {}, h('tr', {}, ['alerts.channel', 'alerts.target', 'alerts.attempts', 'alerts.lastError', '']
          .map(key => h('th', { scope: 'col' }, key ? t(key) : '')))),
        h('tbody', {}, failed.map(d => h('tr', {},
          h('td', {}, t(`alerts.channel.${d.channel}`)), h('td', {}, d.target), h('td', {}, String(d.attempts)),
          h('td', {}, d.lastError || ''),
          h('td', {}, canWrite ? retryButton(d.id, refresh) : null)))))));
  }
  // New alerts, and resolutions, show at once.
  return live.subscribeAlerts(() => refresh());
}

/** A button that sends a failed delivery again. */
export function retryButton(id, refresh) {
  const button = h('button', { type: 'button', class: 'secondary' }, t('alerts.retry'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await send('POST', `alerts/deliveries/${id}/retry`);
      refresh();
    } catch (error) {
      button.after(h('span', { role: 'alert', class: 'error' }, error.message));
    }
  });
  return button;
}
