/* calltrack number swap; the server inlines the site's settings below (raw: null, does nothing) */
(() => {
  'use strict';
  const C = /*CALLTRACK_CONFIG*/null;
  if (!C || !C.numbers || (window.calltrack && window.calltrack.ready)) return;

  const doc = document, now = Date.now, KEY = '_cts_' + C.siteKey, HIDE = C.hideClass, TMO = C.timeoutMs || 1500;
  // inline elements do not split a number
  const INLINE = /^(A|ABBR|B|EM|FONT|I|LABEL|MARK|NOBR|S|SMALL|SPAN|STRONG|SUB|SUP|TIME|U)$/;
  const SKIP = /^(SCRIPT|STYLE|NOSCRIPT|TEXTAREA|INPUT|SELECT|OPTION|TEMPLATE)$/;
  const SEP = '[\\s\\u2010-\\u2015.()/-]*'; // \s covers nbsp and thin spaces
  // tel/sms/callto, WhatsApp, Viber and Telegram (t.me/+ followed by digits: otherwise an invite) links
  const LINK = /^(\s*(?:(?:tel|sms|callto):(?:\/\/)?|(?:https?:\/\/)?wa\.me\/|(?:https?:\/\/api\.whatsapp\.com|whatsapp:\/)\/send\/?\?(?:[^#]*&)?phone=|viber:\/\/(?:chat|call|add|contact)\?(?:[^#]*&)?number=|(?:https?:\/\/)?t\.me\/\+(?=\d+(?:[/?#]|$))))([^?&#;,]*)([^]*)$/i;
  const LINKS = 'a[href],area[href]', LABELS = '[title],[aria-label]', ATTRS = ['title', 'aria-label'];
  const OBSERVE = { childList: true, subtree: true, characterData: true, attributes: true,
    attributeFilter: ['href', ...ATTRS] };
  const digits = s => String(s).replace(/\D/g, '');
  const isDigit = c => c >= '0' && c <= '9';
  const safe = f => (...a) => { try { return f(...a); } catch (e) {} }; // never break the page

  const PR = C.numbers.filter(n => n && n.e164 && n.nsn)
    .map(n => ({ e: n.e164, cc: String(n.cc || ''), nsn: String(n.nsn), tr: String(n.trunk || '') }));
  let st = load() || {}; // {sessionId, numbers, last, pools, ping}
  let cur = [], subs = {}, FORMS = [], RE, obs, shown, settled, timer, delay = 0, busy, active;
  const past = {}; // e164 -> substitute nsns we wrote, for re-swaps
  const waiters = [], mine = new WeakMap(); // text node -> our write, element -> {attribute: our write}: not a page change
  const watched = new WeakSet(); // open shadow roots observed

  function getCookie(n) {
    const c = doc.cookie.split('; ').find(c => !c.indexOf(n + '='));
    return c ? decodeURIComponent(c.slice(n.length + 1)) : null;
  }
  function setCookie(n, v) {
    doc.cookie = n + '=' + encodeURIComponent(v) + '; max-age=31536000; path=/; SameSite=Lax';
  }
  function load() {
    let s;
    try { s = localStorage.getItem(KEY); } catch (e) {}
    try { s = JSON.parse(s || getCookie(KEY)); } catch (e) {}
    return s && typeof s === 'object' ? s : null;
  }
  function save() {
    const s = JSON.stringify(st);
    try { localStorage.setItem(KEY, s); } catch (e) { setCookie(KEY, s); }
  }
  // alive until sessionMinutes without a page view or ping
  const live = s => !!(s && Array.isArray(s.numbers) && now() - s.last < (C.sessionMinutes || 30) * 6e4);

  function visitor() {
    let v = getCookie('_ctv');
    if (!v) {
      v = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))))
        .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }
    setCookie('_ctv', v);
    return v;
  }

  // one regex for every digit string of a printed number or our substitute
  function build() {
    const seen = {};
    FORMS = [];
    PR.forEach(p => [p.nsn, ...(past[p.e] || [])].forEach(ns => [p.cc, p.tr, ''].forEach((pre, k) => {
      const d = pre + ns;
      if ((pre || k > 1) && !seen[d]) FORMS.push(seen[d] = { p, n: ns.length, d });
    })));
    FORMS.sort((a, b) => b.d.length - a.d.length);
    RE = FORMS.length &&
      new RegExp('\\+?(?:' + FORMS.map(f => '(' + f.d.split('').join(SEP) + ')').join('|') + ')(?!\\d)', 'g');
  }

  // t's chars with numbers replaced (or null): new nsn digits in the old ones' places keep the site's
  // format and prefix; if lengths differ, text gets display, links digits
  function rewrite(t, link) {
    let out = null, m;
    if (!RE) return out;
    RE.lastIndex = 0;
    while ((m = RE.exec(t))) {
      const i = m.index, e = i + m[0].length, pos = [];
      if (isDigit(t[i - 1])) { RE.lastIndex = i + 1; continue; } // inside a longer number
      const f = FORMS[m.findIndex((g, k) => k && g != null) - 1], p = f.p;
      const s = subs[p.e] || { nsn: p.nsn, d: '+' + p.cc + p.nsn, x: p.cc + p.nsn };
      for (let j = e - 1; pos.length < f.n; j--) if (isDigit(t[j])) pos.push(j);
      out = out || t.split('');
      if (s.nsn && s.nsn.length === f.n) {
        pos.forEach((q, j) => { out[q] = s.nsn[f.n - 1 - j]; });
        continue;
      }
      let from = i, put = link ? (m[0][0] === '+' ? '+' : '') + s.x : s.d;
      if (link && s.nsn) from = pos[f.n - 1], put = s.nsn;
      for (let j = from; j < e; j++) out[j] = '';
      out[from] = put;
    }
    return out;
  }

  function skip(el) {
    const c = el.getAttribute('contenteditable');
    return SKIP.test(el.nodeName) || (c != null && c !== 'false');
  }
  const excluded = n => { for (; n && n.nodeType === 1; n = n.parentNode) if (skip(n)) return 1; };
  function block(n) {
    while ((n = n.parentNode) && n.nodeType === 1 && INLINE.test(n.nodeName));
    return n && (n.nodeType === 1 || n.nodeType === 11) ? n : null; // 11: a shadow root
  }

  // deep: root's subtree (with the open shadow roots in it), else only root's own inline text
  function swapRoot(root, deep) {
    if (excluded(root)) return;
    const runs = [], shadows = deep && root.shadowRoot ? [root.shadowRoot] : [];
    let run;
    (function walk(el) {
      for (let n = el.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3) (run || runs[runs.push(run = []) - 1]).push(n);
        else if (n.nodeType === 1 && !skip(n)) {
          if (deep && n.shadowRoot) shadows.push(n.shadowRoot);
          if (INLINE.test(n.nodeName)) walk(n);
          else { run = null; if (deep) walk(n), run = null; }
        }
      }
    })(root);
    runs.forEach(swapRun);
    if (deep) {
      const all = sel => [root, ...root.querySelectorAll(sel)].filter(el => el.matches && el.matches(sel));
      all(LINKS).forEach(swapLink);
      all(LABELS).forEach(swapLabels);
      shadows.forEach(sr => { if (!watched.has(sr)) watched.add(sr), obs.observe(sr, OBSERVE); swapRoot(sr, 1); });
      if (shown) reveal(root);
    }
  }
  const wrote = (el, name, v) => { (mine.get(el) || mine.set(el, {}).get(el))[name] = v; el.setAttribute(name, v); };
  // match a run's joined text, write each char back to its node
  function swapRun(nodes) {
    const t = nodes.map(n => n.nodeValue).join(''), out = /\d/.test(t) && rewrite(t);
    let off = 0;
    if (out) nodes.forEach(n => {
      const v = out.slice(off, off += n.nodeValue.length).join('');
      if (v !== n.nodeValue) mine.set(n, n.nodeValue = v);
    });
  }
  function swapLink(a) {
    const m = LINK.exec(a.getAttribute('href')), sp = m && /%20/.test(m[2]);
    const out = m && !excluded(a) &&
      rewrite(m[2].replace(/%20/g, ' '), 1);
    if (!out) return;
    let v = out.join('');
    if (sp) v = v.replace(/ /g, '%20');
    v = m[1] + v + m[3];
    if (v !== m[0]) wrote(a, 'href', v);
  }
  // tooltips and screen readers' labels read the number too
  function swapLabels(el) {
    if (excluded(el)) return;
    ATTRS.forEach(name => {
      const v = el.getAttribute(name), out = v && /\d/.test(v) && rewrite(v);
      if (out && out.join('') !== v) wrote(el, name, out.join(''));
    });
  }

  // late content: only added/changed nodes, one batch per observer delivery
  function onMutations(recs) {
    const deep = new Set(), shallow = new Set(), links = new Set(), labels = new Set();
    const under = (n, set) => { for (; n; n = n.parentNode) if (set.has(n)) return 1; };
    recs.forEach(r => {
      const t = r.target, a = r.attributeName;
      if (r.type === 'attributes') {
        if (t.getAttribute(a) !== (mine.get(t) || {})[a]) (a === 'href' ? links : labels).add(t);
      }
      else if (r.type === 'characterData') { if (t.nodeValue !== mine.get(t)) shallow.add(block(t)); }
      else r.addedNodes.forEach(n => {
        if (n.nodeType === 1) deep.add(n);
        // may complete a split number
        if (n.nodeType === 3 || INLINE.test(n.nodeName)) shallow.add(block(n));
      });
    });
    deep.forEach(n => n.isConnected && !under(n.parentNode, deep) && swapRoot(n, 1));
    shallow.forEach(n => n && n.isConnected && !under(n, deep) && swapRoot(n));
    links.forEach(n => n.isConnected && swapLink(n));
    labels.forEach(n => n.isConnected && swapLabels(n));
  }

  function whenDom(f) {
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', safe(f));
    else f();
  }
  function reveal(root) {
    if (HIDE) [root, ...root.querySelectorAll('.' + CSS.escape(HIDE))].forEach(el => el.classList && el.classList.remove(HIDE));
  }
  // anti-flicker: unhide on first swap, timeout or failure
  function showAll() {
    if (!shown) shown = 1, whenDom(() => reveal(doc.documentElement));
    reveal(doc.documentElement);
  }
  function settle() {
    if (!settled) settled = 1, waiters.splice(0).forEach(callBack);
  }
  function callBack(cb) { try { cb(cur.slice()); } catch (e) {} }

  // list: response numbers ([]: originals)
  function apply(list) {
    const loading = doc.readyState === 'loading';
    cur = list;
    subs = {};
    PR.forEach(p => {
      const n = cur.find(x => digits(x.original) === digits(p.e)), x = n && digits(n.number);
      if (!x) return;
      const ns = x.indexOf(p.cc) ? null : x.slice(p.cc.length), a = past[p.e] = past[p.e] || [];
      subs[p.e] = { nsn: ns, d: n.display || '+' + x, x };
      if (ns && ns !== p.nsn && a.indexOf(ns) < 0) a.push(ns);
    });
    build();
    if (!obs) {
      obs = new MutationObserver(safe(onMutations));
      obs.observe(doc.documentElement, OBSERVE);
      // components defined late attach their shadow roots without a change the observer sees
      addEventListener('load', safe(() => swapRoot(doc.documentElement, 1)));
    }
    swapRoot(doc.documentElement, 1); // parsed so far; the observer does the rest
    whenDom(() => {
      if (loading) swapRoot(doc.documentElement, 1);
      showAll();
      settle();
      doc.dispatchEvent(new CustomEvent('calltrack:swap', { detail: { numbers: cur.slice() } }));
    });
  }

  // -> {s: status, j: JSON}; text/plain, no credentials: no CORS preflight. Late abort is a no-op.
  function post(path, body, ms) {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), ms);
    return fetch(C.api + path, {
      method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'text/plain' },
      credentials: 'omit', keepalive: false, signal: ac.signal
    }).then(r => r.status === 200 ? r.json().then(j => ({ s: 200, j }), () => ({ s: 200 })) : { s: r.status });
  }
  const pingPath = () => '/v1/sessions/' + encodeURIComponent(st.sessionId) + '/ping';
  function schedule(ms) {
    clearTimeout(timer);
    timer = setTimeout(safe(ping), delay = ms);
  }

  function newSession() {
    if (busy) return;
    busy = 1;
    clearTimeout(timer);
    // pools: last substitute held per printed number
    const pools = Object(st.pools), ga = /^GA\d+\.\d+\.(\d+\.\d+)$/.exec(getCookie('_ga'));
    const keep = l => l.forEach(n => { if (n && n.number !== n.original) pools[n.original] = n.number; });
    post('/v1/sessions', {
      siteKey: C.siteKey, visitorId: visitor(), url: location.href, referrer: doc.referrer, title: doc.title,
      gaClientId: ga && ga[1], previous: pools
    }, TMO).then(safe(x => {
      busy = 0;
      const j = x.j, list = j && Array.isArray(j.numbers) &&
        j.numbers.filter(n => n && n.original && n.number);
      if (x.s !== 200 || !list) return fail();
      keep(list);
      st = { sessionId: typeof j.sessionId === 'string' && j.sessionId || null, numbers: list,
        last: now(), pools, ping: j.pingMillis > 0 ? j.pingMillis / 1e3 : j.pingSeconds > 0 ? j.pingSeconds : C.pingSeconds || 30 };
      save();
      apply(list);
      active = !!st.sessionId; // none: nothing to renew
      if (active) schedule(st.ping * 1e3);
    }), safe(() => { busy = 0; fail(); }));
  }
  function fail() {
    active = 0;
    if (cur.length) apply([]); // lapsed lease: back to the originals
    showAll();
    settle();
  }

  function ping() {
    clearTimeout(timer);
    if (busy || !active || doc.hidden) return;
    const s = load(), base = (st.ping || C.pingSeconds || 30) * 1e3;
    const backoff = () => schedule(Math.min((delay || base) * 2, 3e5));
    if (live(s) && s.sessionId === st.sessionId) st.last = Math.max(st.last, s.last); // other tabs' activity
    if (!live(st)) return newSession();
    post(pingPath(), { siteKey: C.siteKey }, 1e4).then(safe(x => {
      if (x.s === 404 || x.s === 410) { // lease gone: new visit
        st.sessionId = null;
        st.last = 0;
        save();
        return newSession();
      }
      if (x.s > 299) return backoff();
      st.last = now();
      save();
      schedule(base);
    }), safe(backoff));
  }
  function onVisibility() {
    if (!doc.hidden) return ping();
    clearTimeout(timer);
    if (!active || !live(st)) return;
    st.last = now();
    save();
    navigator.sendBeacon(C.api + pingPath(), new Blob([JSON.stringify({ siteKey: C.siteKey })], { type: 'text/plain' }));
  }

  window.calltrack = {
    number(x) {
      const d = digits(x), p = PR.find(p => subs[p.e] && [p.cc, p.tr, ''].some(c => c + p.nsn === d));
      return p ? subs[p.e].d : x;
    },
    numbers: () => cur.slice(),
    ready(cb) { // after the first swap or failure
      settled ? callBack(cb) : waiters.push(cb);
    }
  };

  safe(() => {
    // a first view asks for its numbers before anything else; the flicker lasts as long as that request
    const first = !live(st);
    if (first) newSession();
    setTimeout(safe(showAll), TMO);
    doc.addEventListener('visibilitychange', safe(onVisibility));
    if (first) return;
    visitor(); // swap from storage now, renew in background
    st.last = now();
    save();
    active = !!st.sessionId;
    apply(st.numbers);
    ping();
  })();
})();
