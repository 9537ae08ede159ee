// One alert: what the rule found, when it fired and resolved, and each delivery with its attempts.
import { h, timeElement, conversationLink, accountLink, externalLink, empty } from '../ui.js';
import { get, session } from '../api.js';
import { t } from '../i18n.js';
import { retryButton } from './alerts.js';

export async function render(main, { id, live, refresh }) {
  const [{ alert, deliveries }, me] = await Promise.all([get(`alerts/${id}`), session()]);
  main.append(h('h1', {}, t('alert.title', { rule: alert.ruleName })));
  main.append(h('p', {}, h('span', { class: `badge ${alert.state === 'fired' ? 'alert-open' : ''}` },
    t(`alerts.state.${alert.state}`)), ' ', alert.summary));
  const d = alert.details || {};
  main.append(h('dl', { class: 'figures' },
    item(t('alerts.rule'), h('a', { href: `#/alerts?rule=${alert.ruleId}` }, alert.ruleName)),
    item(t('rules.type'), t(`rule.type.${alert.type}`)),
    item(t('alerts.firedAt'), timeElement(alert.firedAt)),
    alert.resolvedAt ? item(t('alert.resolvedAt'), timeElement(alert.resolvedAt)) : null,
    d.accountId ? item(t('dialogue.account'), accountLink(d.accountId)) : null,
    d.authorId ? item(t('report.who'), accountLink(d.authorId)) : null,
    d.partnerId ? item(t('alert.partner'), accountLink(d.partnerId, d.handle || d.partnerId)) : null,
    d.conversationId ? item(t('conversations.conversation'), conversationLink(d.conversationId)) : null,
    d.url ? item(t('dialogue.links'), externalLink(d.url, t('post.original'))) : null));
  if (d.text) main.append(h('blockquote', {}, d.text));
  const canWrite = me.role === 'operator' || me.role === 'admin';
  main.append(h('section', { 'aria-labelledby': 'deliveries' }, h('h2', { id: 'deliveries' }, t('alert.deliveries')),
    deliveries.length === 0 ? empty(t('alert.noDeliveries')) : h('table', {},
      h('caption', {}, t('alert.deliveriesCaption')),
      h('thead', {}, h('tr', {}, ['alert.event', 'alerts.channel', 'alerts.target', 'alert.status', 'alerts.attempts',
        'alerts.lastError', ''].map(key => h('th', { scope: 'col' }, key ? t(key) : '')))),
      h('tbody', {}, deliveries.map(x => h('tr', {},
        h('td', {}, t(`alerts.state.${x.event}`)), h('td', {}, t(`alerts.channel.${x.channel}`)),
        h('td', {}, x.target), h('td', {}, t(`alert.status.${x.status}`), x.deliveredAt
          ? [' ', timeElement(x.deliveredAt)] : null),
        h('td', {}, String(x.attempts)), h('td', {}, x.lastError || ''),
        h('td', {}, canWrite && x.status === 'failed' ? retryButton(x.id, refresh) : null)))))));
  return live.subscribeAlerts(e => {
    if (e.alertId === Number(id)) refresh();
  });
}

function item(label, value) {
  return h('div', {}, h('dt', {}, label), h('dd', {}, value));
}
