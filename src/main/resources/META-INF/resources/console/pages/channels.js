// The channel report by any grouping with every money figure, a chosen metric over time, and spend upload.
import { t, num, money, pct, seconds, day, when } from '../i18n.js';
import { api, h, can, table, field, select, query, attempt, chart, say, session, today, daysAgo } from '../ui.js';
import { byMedium, daysFrom } from './overview.js';
import { daily, perChannel } from './daily.js';

let state = { from: daysAgo(29), to: today(), groupBy: 'source', tz: '', metric: 'calls' };

export const METRICS = () => [['sessions', t('Visits')], ['calls', t('Calls')], ['firstTimeCallers', t('First-time callers')],
  ['leads', t('Leads')], ['deals', t('Deals')], ['revenue', t('Revenue')], ['spend', t('Spend')]];

export function channelName(row, groupBy) {
  if (row.otherChannels) return t('{n} more', { n: num(row.otherChannels) });
  return row.channel ? groupBy.map(g => row.channel[g] || '(none)').join(' / ') : t('Total');
}

export function reportTable(report) {
  const cols = [{ label: report.groupBy.join(' / '), value: r => channelName(r, report.groupBy) },
    { label: t('Visits'), num: true, value: r => num(r.sessions) }, { label: t('Calls'), num: true, value: r => num(r.calls) },
    { label: t('First-time callers'), num: true, value: r => num(r.firstTimeCallers) },
    { label: t('Answered'), num: true, value: r => num(r.answered) }, { label: t('Talk'), num: true, value: r => seconds(r.averageTalkSeconds) },
    { label: t('Leads'), num: true, value: r => num(r.leads) }, { label: t('Deals'), num: true, value: r => num(r.deals) },
    { label: t('Revenue'), num: true, value: r => money(r.revenue) }, { label: t('Spend'), num: true, value: r => money(r.spend) },
    { label: t('Cost per call'), num: true, value: r => money(r.costPerCall) },
    { label: t('Cost per lead'), num: true, value: r => money(r.costPerLead) },
    { label: t('Cost per customer'), num: true, value: r => money(r.costPerCustomer) },
    { label: t('ROMI'), num: true, value: r => r.romi === null ? '–' : pct(Number(r.romi)) }];
  return table(t('Channels') + ' · ' + report.from + ' – ' + report.to + (report.timezone ? ' · ' + report.timezone : ''), cols,
    [...report.rows, report.total]);
}

function spendForm() {
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
  const site = h('input', { name: 'site', size: 8, value: session.info.site || '' });
  const last = h('p', { class: 'muted', id: 'spend-last' });
  const showLast = async () => {
    if (!site.value) return last.replaceChildren();
    const u = await attempt(() => api('GET', '/v1/spend/last' + query({ site: site.value })));
    if (u) last.textContent = u.uploadedAt ? t('Last upload: {when}, {n} rows, {from} – {to}', { when: when(u.uploadedAt), n: num(u.rows), from: u.firstDay, to: u.lastDay })
      : t('No spend uploaded yet.');
  };
  site.addEventListener('change', showLast);
  showLast();
  return [h('form', { class: 'inline', onsubmit: async e => {
    e.preventDefault();
    if (!file.files.length) return;
    const text = await file.files[0].text();
    const r = await attempt(() => api('POST', '/v1/spend' + query({ site: site.value }), text, 'text/csv'));
    if (r) {
      say(t('{n} spend rows stored.', { n: r.rows }));
      showLast();
    }
  } }, field(t('Site'), site), field(t('Upload spend (CSV)'), file), h('button', { type: 'submit' }, t('Upload')),
  h('span', { class: 'muted' }, 'date,source,medium,campaign,amount[,currency]')), last];
}

export async function channels() {
  const [report, perDay] = await Promise.all([daily(state.from, state.to, state.groupBy, false, state.tz).then(perChannel),
    daily(state.from, state.to, 'medium')]);
  const days = daysFrom(state.from).filter(d => d <= state.to);
  const metricLabel = (METRICS().find(m => m[0] === state.metric) || [, ''])[1];
  const form = h('form', { class: 'filters', onsubmit: e => {
    e.preventDefault();
    state = { ...state, ...Object.fromEntries(new FormData(e.target).entries()) };
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } }, field(t('From'), h('input', { type: 'date', name: 'from', value: state.from, required: true })),
  field(t('To'), h('input', { type: 'date', name: 'to', value: state.to, required: true })),
  field(t('Group by'), select('groupBy', [['source', t('Source')], ['source,medium', t('Source') + ' / ' + t('Medium')],
    ['source,medium,campaign', t('Campaign')], ['keyword', t('Keyword')], ['landing', t('Landing page')]], state.groupBy)),
  field(t('Time zone'), h('input', { name: 'tz', value: state.tz, placeholder: 'Europe/Moscow', size: 14 })),
  field(t('Metric'), select('metric', METRICS(), state.metric)), h('button', { type: 'submit' }, t('Apply')));
  return [h('h1', {}, t('Channels')), form, reportTable(report), h('h2', {}, t('{metric} by day', { metric: metricLabel }) + ' · ' + t('Medium')),
    chart(t('{metric} by day', { metric: metricLabel }), { type: 'line', data: { labels: days.map(day), datasets: byMedium(perDay.rows, days, state.metric) } }),
    can('WRITE') ? [h('h2', {}, t('Upload spend (CSV)')), ...spendForm()] : []];
}
