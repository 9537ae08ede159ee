// Alert rules: what each watches and where its alerts go; operators make, pause and delete them. A webhook's secret
// is shown once, when the rule is made.
import { h, empty, timeElement } from '../ui.js';
import { get, send, session, organisationAccounts } from '../api.js';
import { t } from '../i18n.js';

const TYPES = ['unanswered', 'response-rate', 'volume-spike', 'conversation-growth', 'pagerank-top'];
const NEEDS_ACCOUNT = new Set(['unanswered', 'response-rate', 'conversation-growth', 'pagerank-top']);
const DEFAULTS = {
  unanswered: { threshold: 60, windowMinutes: 10080 },
  'response-rate': { threshold: 0.5, windowMinutes: 1440, minCount: 5 },
  'volume-spike': { threshold: 3, minCount: 10 },
  'conversation-growth': { threshold: 20, windowMinutes: 10080 },
  'pagerank-top': { threshold: 10 },
};

export async function render(main, { refresh }) {
  main.append(h('h1', {}, t('rules.title')));
  main.append(h('p', {}, h('a', { href: '#/alerts' }, t('rules.history'))));
  const [rules, me, accounts] = await Promise.all([get('alerts/rules'), session(), organisationAccounts()]);
  const canWrite = me.role === 'operator' || me.role === 'admin';
  main.append(rules.length === 0 ? empty(t('alerts.noRules')) : h('table', { id: 'rules' },
    h('caption', {}, t('rules.caption')),
    h('thead', {}, h('tr', {}, ['rules.name', 'rules.type', 'rules.scope', 'rules.channels', 'rules.evaluated', '']
      .map(key => h('th', { scope: 'col' }, key ? t(key) : '')))),
    h('tbody', {}, rules.map(r => h('tr', { 'data-rule': r.id },
      h('td', {}, h('a', { href: `#/alerts?rule=${r.id}` }, r.name), r.enabled ? null
        : [' ', h('span', { class: 'badge' }, t('rules.paused'))]),
      h('td', {}, t(`rule.type.${r.type}`), h('br'), h('span', { class: 'muted' }, describe(r))),
      h('td', {}, r.accountId || [r.query, r.hashtag ? `#${r.hashtag}` : null].filter(Boolean).join(' · ')
        || t('rules.allMentions')),
      h('td', {}, [r.webhookUrl ? `${t('alerts.channel.webhook')} (${r.webhookFormat})` : null,
        ...r.emails].filter(Boolean).join(', ') || t('rules.uiOnly')),
      h('td', {}, r.evaluatedAt ? timeElement(r.evaluatedAt) : '–'),
      h('td', {}, canWrite ? actions(r, refresh) : null))))));
  if (canWrite) main.append(creation([...accounts].sort(), refresh));
  return null;
}

/** What the rule's numbers mean, in words. */
function describe(r) {
  return t(`rules.describe.${r.type}`, { threshold: r.type === 'response-rate' ? `${Math.round(r.threshold * 100)} %`
    : r.threshold, window: r.windowMinutes, min: r.minCount, cooldown: r.cooldownMinutes });
}

function actions(r, refresh) {
  const pause = h('button', { type: 'button', class: 'secondary' }, r.enabled ? t('rules.pause') : t('rules.resume'));
  pause.addEventListener('click', () => change(pause, () => send('PUT', `alerts/rules/${r.id}`, {
    name: r.name, type: r.type, accountId: r.accountId, query: r.query, hashtag: r.hashtag, threshold: r.threshold,
    windowMinutes: r.windowMinutes, minCount: r.minCount, cooldownMinutes: r.cooldownMinutes,
    webhookUrl: r.webhookUrl, webhookFormat: r.webhookFormat, emails: r.emails, enabled: !r.enabled,
  }), refresh));
  const remove = h('button', { type: 'button', class: 'secondary' }, t('rules.delete'));
  remove.addEventListener('click', () => {
    if (window.confirm(t('rules.confirmDelete', { name: r.name }))) {
      change(remove, () => send('DELETE', `alerts/rules/${r.id}`), refresh);
    }
  });
  return [pause, ' ', remove];
}

async function change(button, call, refresh) {
  button.disabled = true;
  try {
    await call();
    refresh();
  } catch (error) {
    button.disabled = false;
    button.after(h('span', { role: 'alert', class: 'error' }, error.message));
  }
}

function field(name, label, attrs, hint) {
  return h('p', { 'data-field': name }, h('label', {}, label, ' ', h('input', { name, ...attrs })),
    hint ? h('span', { class: 'muted' }, ' ', hint) : null);
}

function creation(accounts, refresh) {
  const type = h('select', { name: 'type' }, TYPES.map(v => h('option', { value: v }, t(`rule.type.${v}`))));
  const account = h('select', { name: 'accountId' }, accounts.map(a => h('option', { value: a }, a)));
  const format = h('select', { name: 'webhookFormat' }, [['generic', t('rules.format.generic')],
    ['slack', t('rules.format.slack')]].map(([v, label]) => h('option', { value: v }, label)));
  const error = h('div', { role: 'alert' });
  const made = h('div', { role: 'status' });
  const form = h('form', { class: 'rule-form', 'aria-labelledby': 'new-rule' },
    h('h2', { id: 'new-rule' }, t('rules.new')),
    field('name', t('rules.name'), { required: true, size: 40, maxlength: 200 }),
    h('p', {}, h('label', {}, t('rules.type'), ' ', type)),
    h('p', { 'data-field': 'accountId' }, h('label', {}, t('dialogue.organisationAccount'), ' ', account)),
    field('query', t('rules.query'), { size: 24 }, t('rules.queryHint')),
    field('hashtag', t('search.hashtag'), { size: 16 }),
    field('threshold', '', { type: 'number', step: 'any', min: 0, style: { width: '7rem' } }),
    field('windowMinutes', '', { type: 'number', min: 0, style: { width: '7rem' } }),
    field('minCount', '', { type: 'number', min: 0, style: { width: '7rem' } }),
    field('cooldownMinutes', t('rules.cooldown'), { type: 'number', min: 0, value: 60, style: { width: '7rem' } }),
    field('webhookUrl', t('rules.webhook'), { type: 'url', size: 40, placeholder: 'https://' }),
    h('p', {}, h('label', {}, t('rules.format'), ' ', format)),
    field('emails', t('rules.emails'), { size: 40 }, t('rules.emailsHint')),
    h('p', {}, h('button', { type: 'submit' }, t('rules.create'))), error, made);
  const labels = {
    threshold: v => t(`rules.threshold.${v}`),
    windowMinutes: v => t(`rules.window.${v}`),
    minCount: v => t(`rules.minCount.${v}`),
  };
  const adapt = () => {
    const v = type.value;
    const defaults = DEFAULTS[v];
    form.querySelector('[data-field=accountId]').hidden = !NEEDS_ACCOUNT.has(v);
    form.querySelector('[data-field=query]').hidden = v !== 'volume-spike';
    form.querySelector('[data-field=hashtag]').hidden = v !== 'volume-spike';
    for (const name of ['threshold', 'windowMinutes', 'minCount']) {
      const p = form.querySelector(`[data-field=${name}]`);
      p.hidden = defaults[name] === undefined;
      p.querySelector('label').firstChild.textContent = labels[name](v);
      p.querySelector('input').value = defaults[name] ?? '';
    }
  };
  type.addEventListener('change', adapt);
  adapt();
  form.addEventListener('submit', async e => {
    e.preventDefault();
    error.replaceChildren();
    const data = new FormData(form);
    const v = data.get('type');
    const number = name => (form.querySelector(`[data-field=${name}]`).hidden || data.get(name) === '' ? null
      : Number(data.get(name)));
    const rule = {
      name: data.get('name'), type: v,
      accountId: NEEDS_ACCOUNT.has(v) ? data.get('accountId') : null,
      query: v === 'volume-spike' ? data.get('query') || null : null,
      hashtag: v === 'volume-spike' ? data.get('hashtag') || null : null,
      threshold: number('threshold'), windowMinutes: number('windowMinutes'), minCount: number('minCount'),
      cooldownMinutes: number('cooldownMinutes'),
      webhookUrl: data.get('webhookUrl') || null, webhookFormat: data.get('webhookFormat'),
      emails: String(data.get('emails') || '').split(/[\s,;]+/).filter(Boolean),
    };
    try {
      const rule_ = await send('POST', 'alerts/rules', rule);
      made.replaceChildren(...[h('p', {}, t('rules.made', { name: rule_.name })),
        rule_.webhookSecret ? h('p', {}, t('rules.secret'), ' ', h('code', { id: 'webhook-secret' },
          rule_.webhookSecret)) : null,
        h('button', { type: 'button', class: 'secondary', onclick: () => refresh() }, t('rules.done'))]
        .filter(Boolean));
      form.reset();
      adapt();
    } catch (failure) {
      error.replaceChildren(h('p', { class: 'error' }, failure.message));
    }
  });
  return form;
}
