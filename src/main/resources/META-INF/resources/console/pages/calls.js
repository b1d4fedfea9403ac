// The call log with the API's filters, keyset paging and CSV; a call's page with its visit, the number's
// lease timeline around the ring time, the attribution's probability and why, and its outcome.
import { t, num, money, when, seconds, pct } from '../i18n.js';
import { api, h, can, table, field, select, query, attempt, daysAgo } from '../ui.js';

const FILTERS = ['site', 'pool', 'source', 'medium', 'campaign', 'keyword'];
let filters = { from: daysAgo(6), to: '' };

function params(extra) {
  const p = { ...filters, ...extra };
  if (p.from) p.from = p.from + 'T00:00:00Z';
  if (p.to) p.to = new Date(Date.parse(p.to + 'T00:00:00Z') + 86400000).toISOString();
  return p;
}

const yesNo = name => select(name, [['', t('any')], ['true', t('yes')], ['false', t('no')]], filters[name] || '');

function form() {
  const inputs = [field(t('From'), h('input', { type: 'date', name: 'from', value: filters.from || '' })),
    field(t('To'), h('input', { type: 'date', name: 'to', value: filters.to || '' })),
    ...FILTERS.map(f => field(t(f[0].toUpperCase() + f.slice(1)), h('input', { name: f, value: filters[f] || '', size: 10 }))),
    field(t('Disposition'), select('disposition', [['', t('any')], ...['IN_PROGRESS', 'ANSWERED', 'NO_ANSWER', 'BUSY', 'ABANDONED', 'FAILED'].map(d => [d, d])], filters.disposition || '')),
    field(t('Attribution'), select('method', [['', t('any')], ...['LIVE_LEASE', 'RECENT_LEASE', 'SHARED_LEASE', 'STATIC_POOL', 'UNATTRIBUTED'].map(d => [d, d])], filters.method || '')),
    field(t('Repeat'), yesNo('repeat')), field(t('Answered'), yesNo('answered'))];
  return h('form', { class: 'filters', role: 'search', onsubmit: e => {
    e.preventDefault();
    filters = Object.fromEntries([...new FormData(e.target).entries()].filter(([, v]) => v !== ''));
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } }, inputs, h('button', { type: 'submit' }, t('Apply')));
}

export function confidence(a) {
  if (!a || a.probability === null || a.probability === undefined) return a ? a.method : '–';
  const cls = a.confidence === 'HIGH' ? 'good' : a.confidence === 'LOW' ? 'bad' : 'warn';
  // a probability still to be revised says so on hover: it may move as the pool's call model learns
  const title = a.probabilityFinal === false ? t('Provisional: scored again as the pool learns, up to 72 h after the ring') : undefined;
  return h('span', { class: 'badge ' + cls, title }, a.confidence + ' ' + pct(a.probability, 0));
}

const columns = () => [
  { label: t('Started'), value: c => h('a', { href: '#/calls/' + c.id }, when(c.startedAt)) },
  { label: t('Caller'), value: c => c.caller || '–' },
  { label: t('Number'), value: c => c.did },
  { label: t('Disposition'), value: c => c.disposition },
  { label: t('Talk'), num: true, value: c => seconds(c.talkSeconds) },
  { label: t('Source'), value: c => [c.attribution.source, c.attribution.medium].filter(Boolean).join(' / ') || '–' },
  { label: t('Campaign'), value: c => c.attribution.campaign || '–' },
  { label: t('Confidence'), value: c => confidence(c.attribution) },
  { label: t('Outcome'), value: c => c.outcome ? c.outcome.status + (c.outcome.value ? ' ' + money(c.outcome.value) : '') : '–' },
];

export async function calls() {
  const page = await api('GET', '/v1/calls' + query(params({ limit: 50 })));
  const body = table(t("Calls"), columns(), page.items, t('No calls match.'));
  const more = h('button', { type: 'button', class: 'plain' }, t('More'));
  let cursor = page.nextCursor;
  more.hidden = !cursor;
  more.addEventListener('click', async () => {
    const next = await attempt(() => api('GET', '/v1/calls' + query({ ...params({ limit: 50 }), cursor })));
    if (!next) return;
    const tbody = body.querySelector('tbody');
    table("", columns(), next.items).querySelectorAll('tbody tr').forEach(tr => tbody.append(tr));
    cursor = next.nextCursor;
    more.hidden = !cursor;
  });
  return [h('h1', {}, t('Calls')), form(), body, h('p', {}, more, ' ',
    h('a', { href: '/v1/calls.csv' + query(params({})), download: 'calls.csv' }, t('Download CSV')))];
}

const WHY = {
  LIVE_LEASE: 'The visit held the number when it rang.',
  RECENT_LEASE: 'Nobody held the number when it rang; this visit held it last, within the late-call window.',
  SHARED_LEASE: 'The pool was exhausted and the number was shared; the most recently active visit was chosen.',
  STATIC_POOL: 'A static number: the call is credited to the source the number is printed for.',
  UNATTRIBUTED: 'No visit held the number within the late-call window.',
};

function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, v]) => v !== undefined).map(([k, v]) => [h('dt', {}, k), h('dd', {}, v === null || v === '' ? '–' : v)]));
}

function outcomeForm(call) {
  const o = call.outcome || {};
  const status = select('status', ['LEAD', 'QUALIFIED', 'DEAL', 'LOST', 'SPAM'].map(s => [s, s]), o.status || 'LEAD');
  const f = h('form', { class: 'inline', onsubmit: async e => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(e.target).entries());
    const body = { status: d.status, value: d.value ? Number(d.value) : null, currency: d.currency || null, dealId: d.dealId || null,
      lostReason: d.lostReason || null };
    await attempt(() => api('PUT', '/v1/calls/' + call.id + '/outcome', body), t('Saved.'));
  } }, field(t('Status'), status), field(t('Value'), h('input', { name: 'value', type: 'number', step: '0.01', min: '0', value: o.value || '' })),
  field(t('Currency'), h('input', { name: 'currency', size: 4, value: o.currency || '' })),
  field(t('Deal id'), h('input', { name: 'dealId', value: o.dealId || '' })),
  field(t('Lost reason'), h('input', { name: 'lostReason', value: o.lostReason || '' })),
  h('button', { type: 'submit' }, t('Save outcome')));
  return f;
}

export async function callPage(id) {
  const d = await api('GET', '/v1/calls/' + encodeURIComponent(id));
  const c = d.call, a = c.attribution, v = d.session;
  const out = [h('h1', {}, t('Call {id}', { id: c.id })), h('h2', {}, t('The call')), facts([
    [t('Started'), when(c.startedAt)], [t('Caller'), [c.caller, c.callerName].filter(Boolean).join(' ')], [t('Number'), c.did],
    [t('Ring'), seconds(c.ringSeconds)], [t('Talk'), seconds(c.talkSeconds)], [t('Ended'), when(c.endedAt)],
    [t('Disposition'), c.disposition], [t('Who answered'), c.extension], [t('Missed by'), (c.missedBy || []).join(', ') || null], [t('Repeat'), c.repeatCaller ? t('yes') : t('no')],
    [t('Method'), a.method], [t('Confidence'), confidence(a)], [t('Why'), t(WHY[a.method] || a.method)]])];
  if (v) {
    out.push(h('h2', {}, t('The visit')), facts([[t('Started'), when(v.startedAt)], [t('Last seen'), when(v.lastSeenAt)],
      [t('Source'), [v.source, v.medium].filter(Boolean).join(' / ')], [t('Campaign'), v.campaign], [t('Keyword'), v.keyword],
      [t('Landing page'), v.landingUrl], [t('Referrer'), v.referrer],
      [t('Click ids'), ['gclid', 'yclid', 'fbclid', 'msclkid', 'ttclid'].filter(k => v[k]).map(k => k + '=' + v[k]).join(' ') || null]]));
  }
  out.push(table(t('Lease timeline of {n}', { n: c.did }), [
    { label: t('Held from'), value: s => when(s.startedAt) }, { label: t('Last seen'), value: s => when(s.lastSeenAt) },
    { label: t('Released'), value: s => s.endedAt ? when(s.endedAt) : '–' }], d.timeline || [], null));
  out.push(h('h2', {}, t('Outcome')), can('WRITE') ? outcomeForm(c)
    : facts([[t('Status'), c.outcome ? c.outcome.status : t('not set')], [t('Value'), c.outcome ? money(c.outcome.value) : null]]));
  return out;
}
