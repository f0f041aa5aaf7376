// quote-pipeline dashboard: polls the JSON API and renders tiles, the alert feed, the status strip and a
// larger chart. Every string from data goes into the page through textContent, never as HTML.
(() => {
  'use strict';

  const state = {
    pollMs: 2000,
    symbols: [],
    tiles: {},      // symbol -> elements
    series: {},     // symbol -> {t: [unix s], p: [price], prev: previous close}
    last: {},       // symbol -> newest quote shown
    sparks: {},     // symbol -> uPlot
    selected: null,
    big: null,
    seenAlerts: null,
  };
  const MAX_POINTS = 5000;
  const $ = (id) => document.getElementById(id);

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  async function get(path) {
    const r = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) throw new Error((body && body.message) || ('HTTP ' + r.status + ' for ' + path));
    return body;
  }

  const price = (n) => n === null || n === undefined ? '–'
    : Number(n).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 });
  const pct = (n) => n === null || n === undefined ? '' : (Number(n) > 0 ? '+' : '') + Number(n).toFixed(2) + '%';
  const clock = (iso) => iso ? iso.substring(11, 19) + 'Z' : '';
  const unix = (iso) => Date.parse(iso) / 1000;

  function ago(iso) {
    if (!iso) return 'never';
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    return Math.round(s / 3600) + ' h ago';
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '–';
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }

  // ---- tiles --------------------------------------------------------------------------------------

  function makeTile(symbol) {
    const root = el('div', 'tile');
    root.dataset.symbol = symbol;
    root.tabIndex = 0;
    root.setAttribute('role', 'button');
    root.setAttribute('aria-label', symbol + ': open chart');
    const top = el('div', 'top');
    const badge = el('span', 'badge', 'anomaly');
    badge.hidden = true;
    top.append(el('span', 'sym', symbol), badge);
    const priceEl = el('div', 'price', '–');
    const chg = el('div', 'chg', '');
    const spark = el('div', 'spark');
    const time = el('div', 'time', 'no quote yet');
    root.append(top, priceEl, chg, spark, time);
    root.addEventListener('click', () => select(symbol));
    root.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') select(symbol); });
    $('tiles').append(root);
    return { root, badge, price: priceEl, chg, spark, time };
  }

  function renderTile(symbol, q) {
    const t = state.tiles[symbol];
    if (!q) return;
    const before = state.last[symbol];
    t.price.textContent = price(q.price);
    t.chg.textContent = pct(q.change_percent) + '  (' + (Number(q.change) > 0 ? '+' : '') + price(q.change) + ')';
    t.chg.className = 'chg ' + (Number(q.change_percent) >= 0 ? 'up' : 'down');
    t.time.textContent = 'at ' + clock(q.timestamp) + ' · prev close ' + price(q.previous_close);
    t.badge.hidden = !q.anomaly;
    t.root.classList.toggle('anomaly', !!q.anomaly);
    if (before && before.price !== q.price) {
      t.root.classList.remove('flash');
      void t.root.offsetWidth; // restart the animation
      t.root.classList.add('flash');
    }
    state.last[symbol] = q;
  }

  function addQuotes(symbol, quotes) {
    const s = state.series[symbol];
    for (const q of quotes) {
      const t = unix(q.timestamp);
      if (s.t.length && t <= s.t[s.t.length - 1]) continue;
      s.t.push(t);
      s.p.push(Number(q.price));
      s.prev = Number(q.previous_close);
    }
    if (s.t.length > MAX_POINTS) {
      s.t.splice(0, s.t.length - MAX_POINTS);
      s.p.splice(0, s.p.length - MAX_POINTS);
    }
  }

  async function loadQuotes(symbol, newest) {
    const s = state.series[symbol];
    let from;
    if (s.t.length) {
      from = new Date((s.t[s.t.length - 1] + 1) * 1000).toISOString().replace('.000Z', 'Z');
    } else {
      // Intraday: the UTC day of the newest quote, at most the last 8 hours of it.
      const end = Date.parse(newest.timestamp);
      const dayStart = Date.UTC(new Date(end).getUTCFullYear(), new Date(end).getUTCMonth(), new Date(end).getUTCDate());
      from = new Date(Math.max(dayStart, end - 8 * 3600 * 1000)).toISOString().replace('.000Z', 'Z');
    }
    for (let page = 0; page < 5 && from; page++) {
      const r = await get('/api/quotes/' + encodeURIComponent(symbol) + '?from=' + encodeURIComponent(from) + '&limit=5000');
      addQuotes(symbol, r.quotes);
      from = r.next_from;
    }
    drawSpark(symbol);
    if (state.selected === symbol) drawBig();
  }

  function drawSpark(symbol) {
    const s = state.series[symbol];
    const box = state.tiles[symbol].spark;
    if (s.t.length < 2) return;
    const data = [s.t.slice(), s.p.slice()];
    if (state.sparks[symbol]) {
      state.sparks[symbol].setData(data);
      return;
    }
    const up = s.p[s.p.length - 1] >= (s.prev || s.p[0]);
    state.sparks[symbol] = new uPlot({
      width: Math.max(120, box.clientWidth), height: 44,
      cursor: { show: false }, legend: { show: false }, select: { show: false },
      scales: { x: { time: true } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: up ? '#2fbf71' : '#f0554a', width: 1.5, points: { show: false } }],
    }, data, box);
  }

  // ---- the larger chart ---------------------------------------------------------------------------

  function select(symbol) {
    state.selected = symbol;
    history.replaceState(null, '', '#' + encodeURIComponent(symbol));
    for (const [s, t] of Object.entries(state.tiles)) t.root.classList.toggle('selected', s === symbol);
    $('detail').hidden = false;
    $('detail-title').textContent = symbol;
    drawBig(true);
    $('detail').scrollIntoView({ block: 'nearest' });
  }

  function drawBig(fresh) {
    const symbol = state.selected;
    if (!symbol) return;
    const s = state.series[symbol];
    const q = state.last[symbol];
    $('detail-sub').textContent = q
      ? price(q.price) + '  ' + pct(q.change_percent) + '  ·  ' + s.t.length + ' quotes since ' +
        (s.t.length ? clock(new Date(s.t[0] * 1000).toISOString()) : '–')
      : 'no quotes yet';
    const prevLine = s.t.map(() => s.prev);
    const data = [s.t.slice(), s.p.slice(), prevLine];
    const box = $('detail-chart');
    if (state.big && !fresh) {
      state.big.setData(data);
      return;
    }
    if (state.big) state.big.destroy();
    box.textContent = '';
    state.big = new uPlot({
      width: Math.max(300, box.clientWidth || 800), height: 320,
      scales: { x: { time: true } },
      axes: [
        { stroke: '#8b96a3', grid: { stroke: '#2a333d' } },
        { stroke: '#8b96a3', grid: { stroke: '#2a333d' }, size: 70 },
      ],
      series: [
        { label: 'time (local)' },
        { label: symbol + ' price', stroke: '#4aa8ff', width: 2 },
        { label: 'previous close', stroke: '#8b96a3', dash: [6, 4], width: 1, points: { show: false } },
      ],
    }, data, box);
  }

  // ---- alerts -------------------------------------------------------------------------------------

  function renderFeed(alerts) {
    const feed = $('feed');
    const first = state.seenAlerts === null;
    const seen = state.seenAlerts || new Set();
    feed.textContent = '';
    for (const a of alerts) {
      const key = a.symbol + '|' + a.timestamp + '|' + a.crossing;
      const li = el('li', a.severity === 'critical' ? 'critical' : 'warning');
      li.dataset.symbol = a.symbol;
      if (!first && !seen.has(key)) li.classList.add('new');
      seen.add(key);
      const head = el('div', 'head');
      head.append(el('span', 'sym', a.symbol),
        el('span', Number(a.change_percent) >= 0 ? 'up' : 'down', pct(a.change_percent)),
        el('span', 'muted', clock(a.timestamp)));
      li.append(head, el('div', 'msg', a.message), el('div', 'msg', (a.severity || '') + ' · crossing #' + a.crossing));
      feed.append(li);
    }
    state.seenAlerts = seen;
    $('feed-empty').hidden = alerts.length > 0;
  }

  // ---- status strip -------------------------------------------------------------------------------

  function setValue(id, text, level) {
    const e = $(id);
    e.textContent = text;
    e.className = 'value' + (level ? ' ' + level : '');
  }

  function renderStatus(st) {
    $('profile').textContent = 'profile: ' + st.profile;
    const h = $('health');
    h.textContent = st.health === 'UP' ? 'healthy' : 'sink down';
    h.className = 'pill ' + (st.health === 'UP' ? 'up' : 'down');
    $('updated').textContent = 'updated ' + new Date().toISOString().substring(11, 19) + 'Z';
    const b = st.breaker || {};
    setValue('breaker', b.state ? b.state + (b.failure_rate_percent !== null && b.failure_rate_percent !== undefined
      ? ' · ' + Number(b.failure_rate_percent).toFixed(0) + '% failing' : '') : 'n/a',
      b.state === 'CLOSED' ? 'good' : b.state === 'OPEN' ? 'bad' : 'warn');
    const lag = st.stream || {};
    setValue('lag', duration(lag.lag_ms) + (lag.backlog ? ' · ' + lag.backlog + ' queued' : ''),
      lag.lag_ms > 10 * st.fetch_period_ms ? 'bad' : null);
    setValue('dead', st.dead_letters_today === null ? 'unknown' : String(st.dead_letters_today),
      st.dead_letters_today > 0 ? 'warn' : 'good');
    const q = st.quarantined || [];
    setValue('quarantined', q.length ? q.map((x) => x.symbol + ' (' + x.state + ')').join(', ') : 'none',
      q.length ? 'warn' : 'good');
    $('quarantined').title = q.map((x) => x.symbol + ': ' + (x.reason || '') + ' since ' + x.since).join('\n');
    const failing = (st.sinks || []).filter((s) => s.state !== 'ok');
    setValue('sinks', failing.length ? failing.map((s) => s.route + ' failing since ' + clock(s.failing_since)).join(', ')
      : 'all ok', failing.length ? 'bad' : 'good');
    const box = $('fetches');
    box.textContent = '';
    for (const f of st.fetches || []) {
      const item = el('span', 'fetch');
      item.dataset.symbol = f.symbol;
      const mark = f.ok === null ? el('span', 'muted', '·') : el('span', f.ok ? 'ok' : 'fail', f.ok ? '✓' : '✗');
      item.append(el('b', null, f.symbol + ' '), mark,
        el('span', null, ' ' + ago(f.last_attempt_at) + (f.latency_ms !== null ? ' · ' + f.latency_ms + ' ms' : '')
          + (f.ok === false && f.error ? ' · ' + f.error : '')));
      box.append(item);
    }
  }

  // ---- loop ---------------------------------------------------------------------------------------

  async function refresh() {
    try {
      const [st, syms, alerts] = await Promise.all([get('/api/status'), get('/api/symbols'), get('/api/alerts?limit=50')]);
      renderStatus(st);
      for (const s of syms.symbols) {
        const known = state.last[s.symbol];
        if (s.last && (!known || known.timestamp !== s.last.timestamp)) {
          await loadQuotes(s.symbol, s.last);
        }
        renderTile(s.symbol, s.last);
      }
      if (state.selected) drawBig();
      renderFeed(alerts.alerts);
      $('error').hidden = true;
      document.body.dataset.refreshed = String(Date.now());
    } catch (e) {
      $('error').textContent = 'Cannot refresh: ' + e.message;
      $('error').hidden = false;
    }
    setTimeout(refresh, state.pollMs);
  }

  async function start() {
    try {
      const st = await get('/api/status');
      state.pollMs = Math.max(500, Number(st.poll_ms) || 2000);
      const syms = await get('/api/symbols');
      for (const s of syms.symbols) {
        state.symbols.push(s.symbol);
        state.series[s.symbol] = { t: [], p: [], prev: null };
        state.tiles[s.symbol] = makeTile(s.symbol);
      }
    } catch (e) {
      $('error').textContent = 'Cannot load the dashboard: ' + e.message;
      $('error').hidden = false;
      setTimeout(start, 3000);
      return;
    }
    $('detail-close').addEventListener('click', () => {
      $('detail').hidden = true;
      state.selected = null;
      history.replaceState(null, '', location.pathname);
      for (const t of Object.values(state.tiles)) t.root.classList.remove('selected');
    });
    // A link to /#SYMBOL opens that symbol's chart.
    const linked = decodeURIComponent(location.hash.slice(1));
    if (Object.prototype.hasOwnProperty.call(state.tiles, linked)) select(linked);
    refresh();
  }

  start();
})();
