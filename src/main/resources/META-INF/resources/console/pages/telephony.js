// Each PBX link: state, which replica listens, events per second (between two looks), last event and call.
import { t, num, when } from '../i18n.js';
import { api, h, table } from '../ui.js';

let previous = null;

export async function telephony() {
  const links = await api('GET', '/v1/admin/telephony');
  const now = Date.now();
  const rate = l => {
    const p = previous && previous.links.find(x => x.pbx === l.pbx && x.replica === l.replica);
    return p ? num((l.events - p.events) / Math.max(1, (now - previous.at) / 1000), 1) : '–';
  };
  const rows = links.map(l => ({ ...l, rate: rate(l) }));
  previous = { at: now, links };
  const state = l => h('span', { class: 'badge ' + (l.state === 'connected' ? 'good' : l.state === 'standby' && l.listener ? 'muted' : 'bad') }, l.state);
  return [h('h1', {}, t('Telephony')), table(t('Telephony'), [
    { label: t('PBX'), value: l => l.pbx }, { label: t('Address'), value: l => l.address }, { label: t('Link'), value: state },
    { label: t('Listening replica'), value: l => l.listener || h('span', { class: 'bad' }, '–') },
    { label: t('Events per second'), num: true, value: l => l.rate }, { label: t('Last event'), value: l => when(l.lastEventAt) },
    { label: t('Last call'), value: l => when(l.lastCallAt) }, { label: t('Reconnects'), num: true, value: l => num(Math.max(0, l.connects - 1)) },
    { label: t('Last error'), value: l => l.lastError || '–' }], rows, '–'),
  h('p', {}, h('button', { type: 'button', class: 'plain', onclick: () => window.dispatchEvent(new HashChangeEvent('hashchange')) }, t('Refresh')))];
}
