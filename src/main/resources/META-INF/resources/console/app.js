// The console's shell: sign-in, navigation by the URL's hash, the language switch.
import { t, language, setLanguage } from './i18n.js';
import { api, h, session, can, say, clearCharts, ApiError } from './ui.js';
import { overview } from './pages/overview.js';
import { calls, callPage } from './pages/calls.js';
import { channels } from './pages/channels.js';
import { funnel } from './pages/funnel.js';
import { pools, poolPage } from './pages/pools.js';
import { telephony } from './pages/telephony.js';
import { settings } from './pages/settings.js';

const PAGES = [
  { path: 'overview', label: 'Overview', role: 'READ', render: overview },
  { path: 'calls', label: 'Calls', role: 'READ', render: calls, detail: callPage },
  { path: 'channels', label: 'Channels', role: 'READ', render: channels },
  { path: 'funnel', label: 'Funnel and people', role: 'READ', render: funnel },
  { path: 'pools', label: 'Pools', role: 'ADMIN', render: pools, detail: poolPage },
  { path: 'telephony', label: 'Telephony', role: 'ADMIN', render: telephony },
  { path: 'settings', label: 'Settings', role: 'ADMIN', render: settings },
];

const main = document.getElementById('main');

function nav(current) {
  const el = document.getElementById('nav');
  el.replaceChildren(...PAGES.filter(p => can(p.role)).map(p =>
    h('a', { href: '#/' + p.path, 'aria-current': p.path === current ? 'page' : null }, t(p.label))));
  document.getElementById('whoami').textContent = session.info
    ? session.info.name + ' · ' + t(session.info.role.toLowerCase()) + (session.info.site ? ' · ' + session.info.site : '') : '';
  document.getElementById('signout').hidden = !session.info;
  document.getElementById('signout').textContent = t('Sign out');
}

async function route() {
  if (!session.info) return signIn();
  const [path, id] = decodeURIComponent(location.hash.replace(/^#\/?/, '')).split('/');
  const page = PAGES.find(p => p.path === path) || PAGES[0];
  nav(page.path);
  clearCharts();
  say('');
  if (!can(page.role)) {
    main.replaceChildren(h('h1', {}, t(page.label)), h('p', {}, t('Not allowed with this key.')));
    return;
  }
  main.replaceChildren(h('p', { class: 'muted' }, t('Loading…')));
  try {
    const content = id && page.detail ? await page.detail(id) : await page.render();
    main.replaceChildren(...[content].flat(Infinity));
    document.title = (main.querySelector('h1') || {}).textContent + ' · Calltrack';
    main.focus();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    main.replaceChildren(h('h1', {}, t(page.label)));
    say(e.message, true);
  }
}

function signIn(message) {
  nav(null);
  const key = h('input', { id: 'key', type: 'password', name: 'key', autocomplete: 'off', required: true });
  const form = h('form', { class: 'signin', onsubmit: async e => {
    e.preventDefault();
    say(t('Signing in…'));
    try {
      session.info = await api('POST', '/console/session', { key: key.value });
      key.value = '';
      say('');
      route();
    } catch (err) {
      say(err.message, true);
    }
  } }, h('h1', {}, t('Sign in')), h('p', {}, t('Sign in with an API key. The key is exchanged for a session and is not kept in the browser.')),
    h('label', { for: 'key' }, t('API key')), key, h('p', {}, h('button', { type: 'submit' }, t('Sign in'))));
  main.replaceChildren(form);
  if (message) say(message, true);
  key.focus();
}

window.addEventListener('ct-signed-out', () => { session.info = null; signIn(t('Session ended: sign in again.')); });
window.addEventListener('hashchange', route);
// the skip link moves focus to the content without touching the hash, which names the page
document.querySelector('.skip').addEventListener('click', e => { e.preventDefault(); main.focus(); });
document.getElementById('signout').addEventListener('click', async () => {
  try { await api('DELETE', '/console/session'); } catch (e) { /* the session may have ended already */ }
  session.info = null;
  location.hash = '';
  signIn();
});
const lang = document.getElementById('lang');
lang.value = language();
setLanguage(language());
lang.addEventListener('change', () => { setLanguage(lang.value); route(); });

(async () => {
  try { session.info = await api('GET', '/console/session'); } catch (e) { session.info = null; }
  route();
})();
