// The daily figures (GET /v1/reports/daily) summed per channel over a range, with the costs and ROMI worked
// out as the channel report works them out.
import { api, query } from '../ui.js';

/** A table shows this many channels; the rest are summed in one row (keywords and landing pages run to thousands). */
export const TABLE_LIMIT = 100;

/**
 * perDay false: one row per channel over the range (for tables, the largest TABLE_LIMIT, and tz for days of
 * another zone); true: per day too (for charts).
 */
export function daily(from, to, groupBy, perDay, tz) {
  return api('GET', '/v1/reports/daily' + query(perDay === false ? { from, to, groupBy, perDay: 'false', tz, limit: TABLE_LIMIT }
    : { from, to, groupBy }));
}

const div = (a, b) => (b ? a / b : null);

/** Rows per channel (summed over the days), the channels past the limit in one, and the total, shaped like the channel report's. */
export function perChannel(report) {
  const byKey = new Map();
  const add = (into, r) => {
    ['sessions', 'calls', 'answered', 'missed', 'talkSeconds', 'firstTimeCallers', 'leads', 'deals'].forEach(k => { into[k] += Number(r[k] || 0); });
    into.revenue += Number(r.revenue || 0);
    if (r.spend !== null && r.spend !== undefined) into.spend = (into.spend || 0) + Number(r.spend);
  };
  const empty = channel => ({ channel, sessions: 0, calls: 0, answered: 0, missed: 0, talkSeconds: 0, firstTimeCallers: 0, leads: 0,
    deals: 0, revenue: 0, spend: null });
  const total = empty(null);
  report.rows.forEach(r => {
    const key = JSON.stringify(report.groupBy.map(g => r.channel[g]));
    if (!byKey.has(key)) byKey.set(key, empty(r.channel));
    add(byKey.get(key), r);
    add(total, r);
  });
  const finish = r => ({ ...r, averageTalkSeconds: div(r.talkSeconds, r.answered), costPerCall: r.spend === null ? null : div(r.spend, r.calls),
    costPerLead: r.spend === null ? null : div(r.spend, r.leads), costPerCustomer: r.spend === null ? null : div(r.spend, r.deals),
    romi: r.spend === null ? null : div(r.revenue - r.spend, r.spend) });
  const rows = [...byKey.values()].map(finish).sort((a, b) => b.calls - a.calls || b.sessions - a.sessions);
  if ((report.others || []).length) {
    const other = { ...empty(null), otherChannels: report.otherChannels };
    report.others.forEach(r => { add(other, r); add(total, r); });
    rows.push(finish(other));
  }
  return { from: report.from, to: report.to, groupBy: report.groupBy, timezone: report.timezone, rows, total: finish(total) };
}
