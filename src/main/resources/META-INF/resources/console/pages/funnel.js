// Per channel the funnel visits → calls → first-time callers → leads → deals → revenue; operators; lost deals.
import { t, num, money, pct, seconds } from '../i18n.js';
import { api, h, table, field, select, query, today, daysAgo } from '../ui.js';
import { channelName } from './channels.js';
import { daily, perChannel } from './daily.js';

let state = { from: daysAgo(29), to: today(), groupBy: 'source,medium' };

const step = (n, of) => num(n) + (of ? ' (' + pct(of ? n / of : null, 0) + ')' : '');

export async function funnel() {
  const base = { from: state.from, to: state.to };
  const [report, operators, lost] = await Promise.all([daily(state.from, state.to, state.groupBy, false).then(perChannel),
    api('GET', '/v1/reports/operators' + query(base)), api('GET', '/v1/reports/lost' + query(base))]);
  const form = h('form', { class: 'filters', onsubmit: e => {
    e.preventDefault();
    state = { ...state, ...Object.fromEntries(new FormData(e.target).entries()) };
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } }, field(t('From'), h('input', { type: 'date', name: 'from', value: state.from, required: true })),
  field(t('To'), h('input', { type: 'date', name: 'to', value: state.to, required: true })),
  field(t('Group by'), select('groupBy', [['source', t('Source')], ['source,medium', t('Source') + ' / ' + t('Medium')],
    ['source,medium,campaign', t('Campaign')]], state.groupBy)), h('button', { type: 'submit' }, t('Apply')));
  const groupBy = report.groupBy;
  return [h('h1', {}, t('Funnel and people')), form,
    table(t('Funnel by channel') + ' (' + t('Conversion') + ')', [
      { label: groupBy.join(' / '), value: r => channelName(r, groupBy) },
      { label: t('Visits'), num: true, value: r => num(r.sessions) },
      { label: t('Calls'), num: true, value: r => step(r.calls, r.sessions) },
      { label: t('First-time callers'), num: true, value: r => step(r.firstTimeCallers, r.calls) },
      { label: t('Leads'), num: true, value: r => step(r.leads, r.firstTimeCallers) },
      { label: t('Deals'), num: true, value: r => step(r.deals, r.leads) },
      { label: t('Revenue'), num: true, value: r => money(r.revenue) }], [...report.rows, report.total]),
    h('h2', {}, t('Operators')),
    table(t('Operators'), [{ label: t('Operator'), value: o => o.operator }, { label: t('Answered'), num: true, value: o => num(o.answered) },
      { label: t('Missed'), num: true, value: o => num(o.missed) },
      { label: t('Average ring, s'), num: true, value: o => num(o.averageRingSeconds, 1) },
      { label: t('Talk time'), num: true, value: o => seconds(o.talkSeconds) }, { label: t('Leads'), num: true, value: o => num(o.leads) },
      { label: t('Deals'), num: true, value: o => num(o.deals) }, { label: t('Revenue'), num: true, value: o => money(o.revenue) }], operators, '–'),
    h('h2', {}, t('Lost deals by reason')),
    table(t('Lost deals by reason'), [{ label: t('Reason'), value: l => l.reason || '–' },
      { label: t('Source'), value: l => [l.source, l.medium].filter(Boolean).join(' / ') || '–' },
      { label: t('Lost'), num: true, value: l => num(l.lost) }], lost, '–')];
}
