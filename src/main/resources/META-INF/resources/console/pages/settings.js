// The configuration in force and a check of a changed file by line; API keys; webhooks and their deliveries.
import { t, num, when } from '../i18n.js';
import { api, h, table, field, select, attempt, say, session } from '../ui.js';

const rerender = () => window.dispatchEvent(new HashChangeEvent('hashchange'));
const EVENTS = ['call.started', 'call.attributed', 'call.completed', 'call.outcome'];

function summary(config) {
  return table(t('Configuration in force'), [{ label: t('Site'), value: s => s.key + ' · ' + s.name },
    { label: t('Pools'), value: s => s.pools.map(p => p.id + ' (' + p.kind + ', ' + num(p.numbers) + ')').join(', ') }], config.sites);
}

function problems(p) {
  const list = (p.errors && p.errors.length ? p.errors : [{ message: p.detail }]);
  return h('ul', { class: 'problems', id: 'config-problems' }, list.map(e => h('li', { class: 'bad' },
    (e.line ? t('line {line}', { line: e.line }) + ': ' : '') + (e.path ? e.path + ': ' : '') + e.message)));
}

function checkForm() {
  const text = h('textarea', { id: 'yaml', name: 'yaml', spellcheck: 'false' });
  const file = h('input', { type: 'file', accept: '.yaml,.yml', id: 'yaml-file' });
  const result = h('div', { id: 'config-result' });
  file.addEventListener('change', async () => { if (file.files.length) text.value = await file.files[0].text(); });
  return [h('form', { onsubmit: async e => {
    e.preventDefault();
    result.replaceChildren();
    try {
      const s = await api('POST', '/v1/admin/config/validate', text.value, 'application/yaml');
      result.replaceChildren(h('p', { class: 'good' }, t('The file is valid: {sites} sites, {pools} pools.',
        { sites: s.sites.length, pools: s.sites.reduce((n, x) => n + x.pools.length, 0) })));
    } catch (err) {
      result.replaceChildren(err.problem ? problems(err.problem) : h('p', { class: 'bad' }, err.message));
    }
  } }, h('label', { for: 'yaml' }, t('Check a number-pool.yaml')), text,
  h('p', {}, h('label', { for: 'yaml-file' }, t('or upload a file')), ' ', file, ' ', h('button', { type: 'submit' }, t('Check')))), result,
  h('p', {}, h('button', { type: 'button', class: 'plain', onclick: async () => {
    const s = await attempt(() => api('POST', '/v1/admin/config/reload'));
    if (s) say(t('The file is valid: {sites} sites, {pools} pools.', { sites: s.sites.length, pools: s.sites.reduce((n, x) => n + x.pools.length, 0) }));
  } }, t('Reload from file')))];
}

function keys(list) {
  const name = h('input', { name: 'name', required: true });
  const secret = h('p', { id: 'new-key', role: 'alert' });
  return [table(t('API keys'), [{ label: t('Name'), value: k => k.name }, { label: 'prefix', value: k => k.prefix + '…' },
    { label: t('Role'), value: k => t(k.role.toLowerCase()) }, { label: t('Site'), value: k => k.site || t('all sites') },
    { label: t('Last used'), value: k => when(k.lastUsedAt) },
    { label: t('Actions'), value: k => k.revokedAt ? h('span', { class: 'muted' }, t('revoked') + ' ' + when(k.revokedAt))
      : h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (await attempt(() => api('DELETE', '/v1/admin/keys/' + k.id), ' ') !== undefined) rerender();
      } }, t('Revoke') + ' ' + k.name) }], list),
  h('form', { class: 'inline', onsubmit: async e => {
    e.preventDefault();
    const d = Object.fromEntries(new FormData(e.target).entries());
    const created = await attempt(() => api('POST', '/v1/admin/keys', { name: d.name, role: d.role, site: d.site || null }));
    if (created) secret.textContent = t('New key (shown once): {secret}', { secret: created.secret });
  } }, field(t('Name'), name), field(t('Role'), select('role', [['READ', t('read')], ['WRITE', t('write')], ['ADMIN', t('admin')]], 'READ')),
  field(t('Site'), h('input', { name: 'site', size: 8, value: session.info.site || '' })), h('button', { type: 'submit' }, t('Create key'))), secret];
}

async function deliveries(hook, box) {
  const list = await attempt(() => api('GET', '/v1/webhooks/' + hook.id + '/deliveries?limit=50'));
  if (!list) return;
  box.replaceChildren(table(t('Deliveries') + ' · ' + hook.url, [{ label: 'id', value: d => d.id }, { label: t('Events'), value: d => d.event },
    { label: t('Status'), value: d => h('span', { class: d.state === 'PARKED' ? 'bad' : d.state === 'DELIVERED' ? 'good' : 'warn' }, d.state) },
    { label: t('Attempts'), num: true, value: d => num(d.attempts) }, { label: t('Last error'), value: d => d.lastError || (d.lastStatus ? 'HTTP ' + d.lastStatus : '–') },
    { label: t('Actions'), value: d => d.state === 'PARKED' ? h('button', { type: 'button', class: 'plain', onclick: async () => {
      if (await attempt(() => api('POST', '/v1/webhooks/deliveries/' + d.id + '/replay'), ' ') !== undefined) deliveries(hook, box);
    } }, t('Replay') + ' ' + d.id) : '' }], list, '–'));
}

function webhooks(list) {
  const box = h('div', {});
  const secret = h('p', { role: 'alert' });
  return [table(t('Webhooks'), [{ label: 'URL', value: w => w.url }, { label: t('Site'), value: w => w.site },
    { label: t('Events'), value: w => w.events.join(', ') },
    { label: t('Actions'), value: w => [h('button', { type: 'button', class: 'plain', onclick: () => deliveries(w, box) }, t('Deliveries')), ' ',
      h('button', { type: 'button', class: 'danger', onclick: async () => {
        if (await attempt(() => api('DELETE', '/v1/webhooks/' + w.id), ' ') !== undefined) rerender();
      } }, t('Delete'))] }], list, '–'), box,
  h('form', { class: 'inline', onsubmit: async e => {
    e.preventDefault();
    const d = new FormData(e.target);
    const created = await attempt(() => api('POST', '/v1/webhooks', { url: d.get('url'), site: d.get('site') || null, events: d.getAll('events') }));
    if (created) secret.textContent = t('New key (shown once): {secret}', { secret: created.secret });
  } }, field('URL', h('input', { name: 'url', type: 'url', required: true, size: 30 })),
  field(t('Site'), h('input', { name: 'site', size: 8, value: session.info.site || '' })),
  h('fieldset', {}, h('legend', {}, t('Events')), EVENTS.map(ev => h('label', {}, h('input', { type: 'checkbox', name: 'events', value: ev, checked: ev === 'call.completed' }), ev))),
  h('button', { type: 'submit' }, t('Create webhook'))), secret];
}

export async function settings() {
  const [keyList, hooks] = await Promise.all([api('GET', '/v1/admin/keys'), api('GET', '/v1/webhooks')]);
  const out = [h('h1', {}, t('Settings'))];
  if (!session.info.site) {
    out.push(h('h2', {}, t('Configuration in force')), summary(await api('GET', '/v1/admin/config')), ...checkForm());
  }
  out.push(h('h2', {}, t('API keys')), ...keys(keyList), h('h2', {}, t('Webhooks')), ...webhooks(hooks));
  return out;
}
