// Pools: live state and sizing at a glance; a pool's page with the size → accuracy trade-off as a chart,
// the inputs it came from, and its numbers with drain / quarantine / activate and add.
import { t, num, pct, when, duration } from '../i18n.js';
import { api, h, table, field, attempt, chart, PALETTE } from '../ui.js';

export async function pools() {
  const list = await api('GET', '/v1/admin/pools');
  return [h('h1', {}, t('Pools')), table(t('Pools'), [
    { label: t('Pool'), value: p => h('a', { href: '#/pools/' + encodeURIComponent(p.id) }, p.id) },
    { label: t('Site'), value: p => p.siteKey }, { label: t('Kind'), value: p => p.kind },
    { label: t('Size'), num: true, value: p => num(p.size) }, { label: t('Free'), num: true, value: p => num(p.free) },
    { label: t('Leased'), num: true, value: p => num(p.leasedNumbers) },
    { label: t('Exhaustions'), num: true, value: p => h('span', { class: p.exhaustions ? 'bad' : null }, num(p.exhaustions)) },
    { label: t('Recommended'), num: true, value: p => p.kind === 'dynamic' ? h('span', { class: p.recommendedSize > p.size ? 'warn' : null },
      num(p.recommendedSize) + (p.recommendedSize > p.size ? ' ▲' : '')) : '–' },
    { label: t('Expected accuracy'), num: true, value: p => p.kind === 'dynamic' ? pct(p.expectedAccuracy) : '–' }], list, '–')];
}

function sizingChart(sizing) {
  const points = [...sizing.options].sort((a, b) => a.size - b.size);
  const mark = (size, label, color, style) => ({ label, data: [{ x: size, y: 0 }, { x: size, y: 100 }], borderColor: color,
    borderDash: style, pointRadius: 0, showLine: true });
  return chart(t('Pool size and expected accuracy'), { type: 'scatter', data: { datasets: [
    { label: t('Expected accuracy'), data: points.map(o => ({ x: o.size, y: 100 * o.expectedAccuracy })), showLine: true,
      borderColor: PALETTE[0], backgroundColor: PALETTE[0] },
    mark(sizing.currentSize, t('current') + ' ' + num(sizing.currentSize), PALETTE[1], [6, 3]),
    mark(sizing.recommendedSize, t('recommended') + ' ' + num(sizing.recommendedSize), PALETTE[2], [2, 2])] },
  options: { scales: { x: { type: 'logarithmic', title: { display: true, text: t('Size') } },
    y: { min: Math.max(0, Math.floor(Math.min(...points.map(o => 100 * o.expectedAccuracy)) - 2)), max: 100, title: { display: true, text: '%' } } } } });
}

function numbersTable(pool, numbers) {
  const act = (n, action) => h('button', { type: 'button', class: action === 'activate' ? 'plain' : 'danger', onclick: async () => {
    const done = await attempt(() => api('POST', '/v1/admin/pools/' + encodeURIComponent(pool) + '/numbers/' + encodeURIComponent(n.number) + '/' + action), ' ');
    if (done !== undefined) window.dispatchEvent(new HashChangeEvent('hashchange'));
  } }, t(action) + ' ' + n.number);
  return table(t('Numbers'), [{ label: t('Number'), value: n => n.number },
    { label: t('State'), value: n => n.state + (n.live ? ' · ' + n.live : '') },
    { label: t('Holder'), value: n => (n.holders || []).join(', ') || '–' },
    { label: t('Last release'), value: n => when(n.releasedAt) },
    { label: t('Actions'), value: n => ['drain', 'quarantine', 'activate'].filter(a => a !== { ACTIVE: 'activate', DRAINING: 'drain', QUARANTINED: 'quarantine' }[n.state]).map(a => act(n, a)) }],
  numbers, '–');
}

export async function poolPage(id) {
  const p = encodeURIComponent(id);
  const [pool, numbers] = await Promise.all([api('GET', '/v1/admin/pools/' + p), api('GET', '/v1/admin/pools/' + p + '/numbers')]);
  const out = [h('h1', {}, t('Pool {id}', { id })), h('h2', {}, t('Live state')), h('div', { class: 'cards' },
    [[t('Size'), pool.size], [t('Free'), pool.free], [t('Leased'), pool.leasedNumbers],
      [t('Draining'), numbers.filter(n => n.state === 'DRAINING').length], [t('Quarantined'), numbers.filter(n => n.state === 'QUARANTINED').length],
      [t('Exhaustions'), pool.exhaustions], [t('Peak leased, last day'), pool.peakLeasedLastDay]].map(([l, n]) => h('div', { class: 'card' }, h('div', { class: 'l' }, l), h('div', { class: 'n' }, num(n)))))];
  if (pool.peakLeasedByHour) {
    const hours = pool.peakLeasedByHour.map((_, i) => new Date(Date.now() - (23 - i) * 3600e3).getHours() + ':00');
    out.push(h('h2', {}, t('Utilisation, last 24 hours')), chart(t('Utilisation, last 24 hours'), { type: 'bar', data: { labels: hours,
      datasets: [{ label: t('Peak numbers leased'), data: pool.peakLeasedByHour, backgroundColor: PALETTE[0] },
        { type: 'line', label: t('Size') + ' ' + num(pool.size), data: hours.map(() => pool.size), borderColor: PALETTE[1], borderDash: [6, 3], pointRadius: 0 }] } }));
  }
  if (pool.kind === 'dynamic') {
    const sizing = await api('GET', '/v1/admin/pools/' + p + '/sizing');
    const i = sizing.inputs;
    out.push(h('h2', {}, t('Pool size and expected accuracy')), sizingChart(sizing),
      table(t('Pool size and expected accuracy'), [{ label: t('Size'), value: o => o.label + ' ' }, { label: t('Numbers'), num: true, value: o => num(o.size) },
        { label: t('Expected accuracy'), num: true, value: o => pct(o.expectedAccuracy, 2) },
        { label: t('At least (95%)'), num: true, value: o => pct(o.lowerBound, 2) }, { label: 'basis', value: o => o.basis }], sizing.options),
      h('h2', {}, t('Sizing inputs')), h('dl', { class: 'facts' }, [['visits', num(i.visits)], ['visits/h', num(i.visitsPerHour, 1)],
        ['hold', duration(i.hold)], ['target', pct(i.target, 1)], ['delay basis', i.delayBasis],
        ['delay measured up to', duration(i.delayMeasuredUpTo)], ['delay assumed share', pct(i.delayAssumedShare)],
        ['calls measured', num(i.callsMeasured)], ['window', i.from + ' – ' + i.to]].map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
  }
  const number = h('input', { name: 'number', placeholder: '+74951110099', required: true });
  out.push(h('h2', {}, t('Numbers')), numbersTable(id, numbers), h('form', { class: 'inline', onsubmit: async e => {
    e.preventDefault();
    const done = await attempt(() => api('POST', '/v1/admin/pools/' + p + '/numbers', { number: number.value }), ' ');
    if (done !== undefined) window.dispatchEvent(new HashChangeEvent('hashchange'));
  } }, field(t('Add number'), number), h('button', { type: 'submit' }, t('Add'))));
  return out;
}
