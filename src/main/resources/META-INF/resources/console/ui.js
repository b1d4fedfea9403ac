// What every page uses: the API (with the session cookie and CSRF token), a DOM builder that never parses
// text as HTML (call data comes from visitors' URLs and PBXes), tables, forms, charts and the status line.
import { t } from './i18n.js';

export const session = { info: null };
const ROLES = ['READ', 'WRITE', 'ADMIN'];
export const can = role => session.info && ROLES.indexOf(session.info.role) >= ROLES.indexOf(role);

export class ApiError extends Error {
  constructor(problem, status) { super(problem.detail || problem.title || String(status)); this.problem = problem; this.status = status; }
}

export async function api(method, path, body, contentType) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && session.info) headers['X-CSRF-Token'] = session.info.csrf;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType || 'application/json';
    payload = contentType ? body : JSON.stringify(body);
  }
  const r = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  if (r.status === 401 && !path.startsWith('/console/session')) {
    window.dispatchEvent(new CustomEvent('ct-signed-out'));
  }
  const json = (r.headers.get('content-type') || '').includes('json');
  if (!r.ok) throw new ApiError(json ? await r.json() : { detail: r.statusText }, r.status);
  return r.status === 204 ? null : json ? r.json() : r.text();
}

export function query(params) {
  const q = new URLSearchParams();
  Object.entries(params).forEach(([k, v]) => { if (v !== null && v !== undefined && v !== '') q.set(k, v); });
  const s = q.toString();
  return s ? '?' + s : '';
}

/** h('td', {class: 'num'}, 'text', child...): attributes set as properties or attributes, children as text or nodes. */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v === null || v === undefined || v === false) return;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  });
  children.flat(Infinity).forEach(c => { if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c)); });
  return el;
}

/** A table: columns [{label, value(row), num}], rows; wrapped to scroll sideways on a narrow screen. */
export function table(caption, columns, rows, empty) {
  if (!rows.length && empty) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'scroll' }, h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', {}, columns.map(c => h('td', { class: c.num ? 'num' : null }, c.value(r))))))));
}

export function field(label, input) { return h('label', {}, label, input); }

export function select(name, options, value) {
  return h('select', { name }, options.map(([v, l]) => h('option', { value: v, selected: v === value }, l)));
}

export function say(message, error) {
  const s = document.getElementById('status');
  s.textContent = message || '';
  s.className = 'status' + (error ? ' error' : '');
}

/** Runs an action, says what went wrong as the API said it (field and line included). */
export async function attempt(action, done) {
  try {
    const result = await action();
    if (done) say(done);
    return result;
  } catch (e) {
    const p = e.problem || {};
    const where = p.field ? ' (' + p.field + ')' : '';
    say((e.message || String(e)) + where, true);
    return undefined;
  }
}

const charts = [];
/** A Chart.js chart in a labelled canvas; old charts are destroyed on navigation. */
export function chart(label, config) {
  const canvas = h('canvas', { role: 'img', 'aria-label': label });
  const box = h('div', { class: 'chart' }, canvas);
  requestAnimationFrame(() => {
    if (window.Chart) charts.push(new window.Chart(canvas, { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options || {}) } }));
  });
  return box;
}
export function clearCharts() { charts.splice(0).forEach(c => c.destroy()); }

export const today = () => new Date().toISOString().slice(0, 10);
export const daysAgo = n => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
export const notAllowed = () => h('p', {}, t('Not allowed with this key.'));
export const PALETTE = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#a16207', '#0e7490', '#be123c', '#4d7c0f'];
