// Calls today / 7 / 30 days, calls by channel and revenue over time, and what needs an admin's attention.
import { t, num, money, day, when } from '../i18n.js';
import { api, h, can, chart, query, today, daysAgo, PALETTE } from '../ui.js';
import { daily } from './daily.js';


function card(label, total) {
  return h('div', { class: 'card' }, h('div', { class: 'l' }, label), h('div', { class: 'n' }, num(total.calls)),
    h('div', {}, t('calls')), h('div', { class: 'l' }, num(total.answered) + ' ' + t('answered') + ' · ' + num(total.missed) + ' '
      + t('missed') + ' · ' + num(total.firstTimeCallers) + ' ' + t('first-time callers')));
}

/** Series per medium (the five largest, the rest together) of one metric per day, from daily rows by medium. */
export function byMedium(rows, days, metric) {
  const dim = 'medium';
  const totals = {};
  rows.forEach(r => { const s = r.channel[dim] || '(none)'; totals[s] = (totals[s] || 0) + Number(r[metric] || 0); });
  const top = Object.keys(totals).sort((a, b) => totals[b] - totals[a]).slice(0, 5);
  const series = {};
  rows.forEach(r => {
    const s = top.includes(r.channel[dim] || '(none)') ? r.channel[dim] || '(none)' : '…';
    series[s] = series[s] || days.map(() => 0);
    const i = days.indexOf(r.day);
    if (i >= 0) series[s][i] += Number(r[metric] || 0);
  });
  return Object.entries(series).map(([label, data], i) => ({ label, data, borderColor: PALETTE[i % PALETTE.length],
    backgroundColor: PALETTE[i % PALETTE.length], borderDash: i % 2 ? [6, 3] : [] }));
}

export function daysFrom(first) {
  const out = [];
  for (let d = new Date(first + 'T00:00:00Z'); d.toISOString().slice(0, 10) <= today(); d.setUTCDate(d.getUTCDate() + 1)) {
    out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

async function attention() {
  const items = [];
  const [pools, links, hooks] = await Promise.all([api('GET', '/v1/admin/pools'), api('GET', '/v1/admin/telephony'), api('GET', '/v1/webhooks')]);
  pools.filter(p => p.kind === 'dynamic').forEach(p => {
    if (p.exhaustions > 0 || p.free === 0) items.push([h('a', { href: '#/pools/' + p.id }, t('Pool {id}: {free} of {size} numbers free, {ex} exhaustions', { id: p.id, free: p.free, size: p.size, ex: p.exhaustions }))]);
    if (p.recommendedSize > p.size) items.push([h('a', { href: '#/pools/' + p.id }, t('Pool {id}: {size} numbers, {rec} recommended', { id: p.id, size: p.size, rec: p.recommendedSize }))]);
  });
  links.filter(l => !l.listener).forEach(l => items.push([h('a', { href: '#/telephony' }, t('PBX {id}: no replica is listening', { id: l.pbx }))]));
  const parked = await Promise.all(hooks.map(w => api('GET', '/v1/webhooks/' + w.id + '/deliveries' + query({ state: 'parked', limit: 100 }))));
  hooks.forEach((w, i) => { if (parked[i].length) items.push([h('a', { href: '#/settings' }, t('Webhook {url}: {n} deliveries parked', { url: w.url, n: parked[i].length }))]); });
  return [h('h2', {}, t('Needs attention')), items.length ? h('ul', {}, items.map(i => h('li', {}, i))) : h('p', {}, t('Nothing needs attention.'))];
}

/** Calls, answered, missed and first-time callers over the report's days from {@code first} on. */
function totals(rows, first) {
  const t = { calls: 0, answered: 0, missed: 0, firstTimeCallers: 0 };
  rows.filter(r => r.day >= first).forEach(r => Object.keys(t).forEach(k => { t[k] += Number(r[k] || 0); }));
  return t;
}

export async function overview() {
  const first = daysAgo(29);
  // the daily figures serve the cards and the charts: a caller's first call falls on one day, so first-time
  // callers add up across days
  const [byDay, needs] = await Promise.all([daily(first, today(), 'medium'), can('ADMIN') ? attention() : []]);
  const days = daysFrom(first);
  const last = days[days.length - 1];
  const revenue = days.map(d => byDay.rows.filter(r => r.day === d).reduce((s, r) => s + Number(r.revenue || 0), 0));
  const out = [h('h1', {}, t('Overview')),
    h('div', { class: 'cards' }, card(t('Today'), totals(byDay.rows, last)), card(t('Last 7 days'), totals(byDay.rows, days[days.length - 7])),
      card(t('Last 30 days'), totals(byDay.rows, first))),
    h('p', { class: 'muted' }, t('Figures as of {when}', { when: when(byDay.refreshedAt) })),
    h('h2', {}, t('Calls by medium, last 30 days')),
    chart(t('Calls by medium, last 30 days'), { type: 'line', data: { labels: days.map(day), datasets: byMedium(byDay.rows, days, 'calls') } }),
    h('h2', {}, t('Revenue by day, last 30 days')),
    chart(t('Revenue by day, last 30 days') + ': ' + money(revenue.reduce((a, b) => a + b, 0)),
      { type: 'bar', data: { labels: days.map(day), datasets: [{ label: t('Revenue'), data: revenue, backgroundColor: PALETTE[2] }] } })];
  return out.concat(needs);
}
