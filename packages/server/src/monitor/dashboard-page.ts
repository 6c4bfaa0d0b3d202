/**
 * /dashboard: one self-contained page (inline CSS, JS and SVG; nothing fetched from outside the
 * machine). It polls this monitor's own endpoints — /varz, /metrics, /connz, /subsz — relative
 * to its own URL, so it works under `http_base_path` and behind a path-prefixing proxy.
 *
 * Shows: health, KPIs with units, message and byte rates as charts over the last 5 minutes,
 * connections by kind, top connections, top subjects (by messages delivered to their
 * subscriptions), recent slow consumers and recent authentication failures (closed connections
 * with those reasons). Follows the OS light/dark preference, with a toggle.
 *
 * The script is written without template literals so this file can hold it in one.
 */
export const DASHBOARD_HTML = String.raw`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Starling dashboard</title>
<style>
:root {
  --bg: #0f1217; --panel: #161b22; --panel2: #1b212a; --line: #262d38; --grid: #222934;
  --text: #e6e9ef; --muted: #8a94a6; --faint: #5c6675;
  --accent: #5b8def; --accent2: #36c5a0; --warn: #f0b429; --bad: #ef5b5b; --ok: #36c5a0;
  --c1: #5b8def; --c2: #36c5a0; --c3: #b68cf2; --c4: #f0b429; --c5: #ef7b5b; --c6: #4fc3d9; --c7: #9aa5b8;
  color-scheme: dark;
}
:root[data-theme="light"] {
  --bg: #f5f6f8; --panel: #ffffff; --panel2: #f8f9fb; --line: #e3e6eb; --grid: #eceff3;
  --text: #1c2330; --muted: #5d6778; --faint: #98a1b0;
  --accent: #2f6fe0; --accent2: #12a37f; --warn: #c98a00; --bad: #d63b3b; --ok: #12a37f;
  --c1: #2f6fe0; --c2: #12a37f; --c3: #8a5cd6; --c4: #c98a00; --c5: #d9603b; --c6: #1b9bb3; --c7: #7a8599;
  color-scheme: light;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums; }
header { display: flex; align-items: center; gap: 16px; padding: 14px 24px; border-bottom: 1px solid var(--line);
  background: var(--panel); position: sticky; top: 0; z-index: 2; }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 650; font-size: 17px; letter-spacing: .01em; }
.brand svg { display: block; }
.meta { color: var(--muted); font-size: 13px; display: flex; gap: 14px; flex-wrap: wrap; }
.meta b { color: var(--text); font-weight: 550; }
.spacer { flex: 1; }
.pill { display: inline-flex; align-items: center; gap: 6px; padding: 3px 10px; border-radius: 999px; font-size: 12px;
  font-weight: 600; border: 1px solid var(--line); background: var(--panel2); }
.pill i { width: 8px; height: 8px; border-radius: 50%; background: var(--faint); display: inline-block; }
.pill.ok i { background: var(--ok); } .pill.bad i { background: var(--bad); } .pill.bad { color: var(--bad); }
button, select { font: inherit; font-size: 12px; color: var(--text); background: var(--panel2); border: 1px solid var(--line);
  border-radius: 6px; padding: 4px 10px; cursor: pointer; }
button:hover, select:hover { border-color: var(--accent); }
main { padding: 20px 24px 32px; max-width: 1560px; margin: 0 auto; display: grid; gap: 16px; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.kpi { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; min-width: 0; }
.kpi .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; white-space: nowrap; }
.kpi .value { font-size: 24px; font-weight: 650; margin-top: 2px; white-space: nowrap; }
.kpi .value small { font-size: 13px; font-weight: 500; color: var(--muted); margin-left: 3px; }
.kpi .sub { color: var(--faint); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.kpi.alert .value { color: var(--warn); }
.row { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px 12px; min-width: 0; }
.panel h2 { margin: 0 0 8px; font-size: 13px; font-weight: 650; color: var(--muted); text-transform: uppercase; letter-spacing: .05em;
  display: flex; align-items: center; gap: 10px; }
.panel h2 .now { margin-left: auto; text-transform: none; letter-spacing: 0; font-weight: 500; color: var(--faint); font-size: 12px; }
.legend { display: flex; gap: 14px; font-size: 12px; color: var(--muted); flex-wrap: wrap; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.legend i { width: 10px; height: 3px; border-radius: 2px; display: inline-block; }
.legend b { color: var(--text); font-weight: 600; }
svg.chart { width: 100%; height: 190px; display: block; margin-top: 6px; }
svg.chart text { fill: var(--faint); font-size: 11px; }
svg.chart .grid { stroke: var(--grid); stroke-width: 1; }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; padding: 6px 8px; border-bottom: 1px solid var(--line); white-space: nowrap; }
td { padding: 6px 8px; border-bottom: 1px solid var(--grid); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 260px; }
td.num, th.num { text-align: right; }
tr:last-child td { border-bottom: none; }
.empty { color: var(--faint); padding: 14px 8px; font-size: 13px; }
.bar { height: 6px; border-radius: 3px; background: var(--accent); opacity: .75; }
.kinds { display: grid; gap: 10px; margin-top: 8px; }
.kind { display: grid; grid-template-columns: 110px 1fr 64px; gap: 10px; align-items: center; font-size: 13px; }
.kind .track { background: var(--panel2); border: 1px solid var(--grid); border-radius: 4px; height: 10px; overflow: hidden; }
.kind .fill { height: 100%; border-radius: 3px; }
.kind .n { text-align: right; font-weight: 600; }
.tag { font-size: 11px; padding: 1px 7px; border-radius: 999px; border: 1px solid var(--line); color: var(--muted); }
.tag.bad { color: var(--bad); border-color: color-mix(in srgb, var(--bad) 40%, transparent); }
.tag.warn { color: var(--warn); border-color: color-mix(in srgb, var(--warn) 40%, transparent); }
footer { color: var(--faint); font-size: 12px; padding: 0 24px 24px; max-width: 1560px; margin: 0 auto; }
footer a { color: var(--muted); margin-right: 12px; text-decoration: none; }
footer a:hover { color: var(--accent); }
#error { display: none; background: color-mix(in srgb, var(--bad) 14%, var(--panel)); border: 1px solid var(--bad); color: var(--text);
  border-radius: 8px; padding: 8px 12px; font-size: 13px; }
</style>
</head>
<body>
<header>
  <div class="brand">
    <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true">
      <rect x="1" y="1" width="30" height="30" rx="8" fill="var(--accent)"/>
      <path d="M8 19c4-1 6-5 10-7 3-1.5 5-1 6 0-2 0-3 .8-4 2.2 2 .3 3 1.4 3.4 2.8-2.3-1.2-4.6-1-6.8.4C13.7 19.2 11 20.4 8 19z" fill="#fff"/>
      <circle cx="21.6" cy="12.4" r=".9" fill="var(--accent)"/>
    </svg>
    Starling
  </div>
  <div class="meta">
    <span>Server <b id="m-name">…</b></span>
    <span>v<b id="m-version">…</b></span>
    <span>Up <b id="m-uptime">…</b></span>
    <span>Node <b id="m-node">…</b></span>
  </div>
  <div class="spacer"></div>
  <span id="health" class="pill"><i></i><span>checking</span></span>
  <select id="interval" title="Refresh interval">
    <option value="1000">1 s</option><option value="2000" selected>2 s</option><option value="5000">5 s</option>
  </select>
  <button id="pause" type="button">Pause</button>
  <button id="theme" type="button" title="Light / dark">Theme</button>
</header>
<main>
  <div id="error"></div>
  <section class="kpis">
    <div class="kpi"><div class="label">Connections</div><div class="value" id="k-conns">–</div><div class="sub" id="k-conns-sub">&nbsp;</div></div>
    <div class="kpi"><div class="label">Subscriptions</div><div class="value" id="k-subs">–</div><div class="sub" id="k-subs-sub">&nbsp;</div></div>
    <div class="kpi"><div class="label">Messages in</div><div class="value" id="k-inmsgs">–</div><div class="sub" id="k-inmsgs-sub">&nbsp;</div></div>
    <div class="kpi"><div class="label">Messages out</div><div class="value" id="k-outmsgs">–</div><div class="sub" id="k-outmsgs-sub">&nbsp;</div></div>
    <div class="kpi"><div class="label">Bytes in</div><div class="value" id="k-inbytes">–</div><div class="sub" id="k-inbytes-sub">&nbsp;</div></div>
    <div class="kpi"><div class="label">Bytes out</div><div class="value" id="k-outbytes">–</div><div class="sub" id="k-outbytes-sub">&nbsp;</div></div>
    <div class="kpi" id="k-slow-box"><div class="label">Slow consumers</div><div class="value" id="k-slow">–</div><div class="sub">since start</div></div>
    <div class="kpi"><div class="label">Memory · CPU</div><div class="value" id="k-mem">–</div><div class="sub" id="k-cpu">&nbsp;</div></div>
  </section>
  <section class="row">
    <div class="panel">
      <h2>Message rate <span class="now" id="c-msgs-now"></span></h2>
      <div class="legend"><span><i style="background:var(--c1)"></i>in <b id="l-inmsgs">–</b></span><span><i style="background:var(--c2)"></i>out <b id="l-outmsgs">–</b></span></div>
      <svg class="chart" id="chart-msgs" preserveAspectRatio="none"></svg>
    </div>
    <div class="panel">
      <h2>Throughput <span class="now" id="c-bytes-now"></span></h2>
      <div class="legend"><span><i style="background:var(--c3)"></i>in <b id="l-inbytes">–</b></span><span><i style="background:var(--c4)"></i>out <b id="l-outbytes">–</b></span></div>
      <svg class="chart" id="chart-bytes" preserveAspectRatio="none"></svg>
    </div>
  </section>
  <section class="row">
    <div class="panel">
      <h2>Connections by kind <span class="now" id="kinds-total"></span></h2>
      <div class="kinds" id="kinds"></div>
      <svg class="chart" id="chart-conns" preserveAspectRatio="none" style="height:120px;margin-top:14px"></svg>
    </div>
    <div class="panel">
      <h2>Top connections <span class="now">by messages published</span></h2>
      <table><thead><tr><th>cid</th><th>name</th><th>address</th><th class="num">msgs in</th><th class="num">msgs out</th><th class="num">bytes out</th><th class="num">subs</th><th class="num">pending</th></tr></thead>
      <tbody id="t-conns"></tbody></table>
    </div>
  </section>
  <section class="row">
    <div class="panel">
      <h2>Top subjects <span class="now">messages delivered to subscriptions</span></h2>
      <table><thead><tr><th>subject</th><th>queue</th><th class="num">subs</th><th class="num">delivered</th><th style="width:30%"></th></tr></thead>
      <tbody id="t-subjects"></tbody></table>
    </div>
    <div class="panel">
      <h2>Slow consumers <span class="now">recently closed</span></h2>
      <table><thead><tr><th>cid</th><th>name</th><th>address</th><th>reason</th><th>closed</th><th class="num">msgs out</th></tr></thead>
      <tbody id="t-slow"></tbody></table>
    </div>
  </section>
  <section class="row">
    <div class="panel">
      <h2>Authentication failures <span class="now">recently closed</span></h2>
      <table><thead><tr><th>cid</th><th>user</th><th>address</th><th>reason</th><th>when</th></tr></thead>
      <tbody id="t-auth"></tbody></table>
    </div>
    <div class="panel">
      <h2>Accounts</h2>
      <table><thead><tr><th>account</th><th class="num">conns</th><th class="num">msgs in</th><th class="num">msgs out</th><th class="num">bytes in</th><th class="num">bytes out</th><th class="num">slow</th></tr></thead>
      <tbody id="t-accounts"></tbody></table>
    </div>
  </section>
</main>
<footer id="links"></footer>
<script>
(function () {
  'use strict';
  var base = location.pathname.replace(/\/dashboard\/?$/, '');
  var WINDOW_MS = 5 * 60 * 1000;
  var hist = { t: [], inMsgs: [], outMsgs: [], inBytes: [], outBytes: [], conns: [] };
  var prev = null;
  var timer = null;
  var paused = false;
  var tick = 0;
  var state = { samples: 0, last: null };
  window.__starling = state;

  var root = document.documentElement;
  var saved = null;
  try { saved = localStorage.getItem('starling-theme'); } catch (e) {}
  root.setAttribute('data-theme', saved || (matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark'));
  document.getElementById('theme').onclick = function () {
    var next = root.getAttribute('data-theme') === 'light' ? 'dark' : 'light';
    root.setAttribute('data-theme', next);
    try { localStorage.setItem('starling-theme', next); } catch (e) {}
    redraw();
  };
  document.getElementById('pause').onclick = function () {
    paused = !paused;
    this.textContent = paused ? 'Resume' : 'Pause';
    if (!paused) poll();
  };
  document.getElementById('interval').onchange = function () { schedule(); };

  var links = ['varz', 'connz', 'subsz', 'accountz', 'accstatz', 'routez', 'leafz', 'gatewayz', 'healthz', 'metrics'];
  var lf = document.getElementById('links');
  lf.appendChild(document.createTextNode('Endpoints: '));
  links.forEach(function (p) { var a = document.createElement('a'); a.href = base + '/' + p; a.textContent = '/' + p; lf.appendChild(a); });

  function $(id) { return document.getElementById(id); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }
  function num(n) {
    if (n === null || n === undefined || !isFinite(n)) return '–';
    var a = Math.abs(n);
    if (a >= 1e9) return (n / 1e9).toFixed(a >= 1e10 ? 1 : 2) + 'G';
    if (a >= 1e6) return (n / 1e6).toFixed(a >= 1e7 ? 1 : 2) + 'M';
    if (a >= 1e4) return (n / 1e3).toFixed(1) + 'k';
    if (a >= 100 || n === Math.round(n)) return String(Math.round(n));
    return n.toFixed(1);
  }
  /** Axis ticks: 0, 250, 5k, 12.5k, 1.5M (no trailing zeros). */
  function axisNum(n) {
    var a = Math.abs(n);
    var trim = function (x) { return String(Number(x.toFixed(2))); };
    if (a >= 1e9) return trim(n / 1e9) + 'G';
    if (a >= 1e6) return trim(n / 1e6) + 'M';
    if (a >= 1e3) return trim(n / 1e3) + 'k';
    return trim(n);
  }
  function bytes(n) {
    if (n === null || n === undefined || !isFinite(n)) return '–';
    var u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
    while (Math.abs(n) >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return (i === 0 ? String(Math.round(n)) : n.toFixed(Math.abs(n) >= 100 ? 0 : 1)) + ' ' + u[i];
  }
  function setVal(id, text, unit) {
    var el = $(id);
    el.innerHTML = esc(text) + (unit ? '<small>' + esc(unit) + '</small>' : '');
    el.setAttribute('data-value', text);
  }
  function ago(iso) {
    var s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + 's ago';
    if (s < 3600) return Math.floor(s / 60) + 'm ago';
    return Math.floor(s / 3600) + 'h ago';
  }
  function css(name) { return getComputedStyle(root).getPropertyValue(name).trim(); }

  function get(path, text) {
    return fetch(base + path, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) return r.text().then(function (t) { throw new Error(path + ': HTTP ' + r.status + ' ' + t); });
      return text ? r.text() : r.json();
    });
  }

  function parseMetrics(text) {
    var out = {};
    text.split('\n').forEach(function (line) {
      if (!line || line[0] === '#') return;
      var m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
      if (!m) return;
      var labels = {};
      if (m[2]) m[2].slice(1, -1).replace(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g, function (_, k, v) { labels[k] = v.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1'); return ''; });
      (out[m[1]] = out[m[1]] || []).push({ labels: labels, value: Number(m[3]) });
    });
    return out;
  }

  function record(t, values) {
    hist.t.push(t);
    Object.keys(values).forEach(function (k) { hist[k].push(values[k]); });
    // keep five minutes of samples
    while (hist.t.length > 2 && hist.t[0] < t - WINDOW_MS) {
      Object.keys(hist).forEach(function (k) { hist[k].shift(); });
    }
  }
  function span() {
    var n = hist.t.length;
    return n < 2 ? 10000 : Math.max(10000, hist.t[n - 1] - hist.t[0]);
  }
  function dur(ms) {
    var s = Math.round(ms / 1000);
    if (s < 60) return s + 's';
    return Math.floor(s / 60) + 'm' + (s % 60 ? String(s % 60).padStart(2, '0') + 's' : '');
  }

  function poll() {
    if (paused) return;
    tick++;
    var reqs = [get('/varz'), get('/metrics', true), get('/connz?sort=msgs_from&limit=8'), get('/accstatz?unused=1')];
    if (tick % 3 === 1) {
      reqs.push(get('/subsz?subs=1&limit=1024'));
      reqs.push(get('/connz?state=closed&sort=stop&limit=250&auth=1'));
    }
    var health = fetch(base + '/healthz', { cache: 'no-store' }).then(function (r) { return r.ok; }, function () { return false; });
    Promise.all(reqs).then(function (res) {
      $('error').style.display = 'none';
      update(res[0], parseMetrics(res[1]), res[2], res[3], res[4], res[5]);
    }).catch(function (err) {
      $('error').style.display = 'block';
      $('error').textContent = 'Cannot reach the monitor: ' + err.message;
    });
    health.then(function (ok) {
      var h = $('health');
      h.className = 'pill ' + (ok ? 'ok' : 'bad');
      h.lastChild.textContent = ok ? 'healthy' : 'not ready';
    });
  }

  function schedule() {
    if (timer) clearInterval(timer);
    timer = setInterval(poll, Number($('interval').value));
  }

  function update(v, metrics, connz, accstatz, subsz, closed) {
    var t = Date.parse(v.now);
    if (prev) {
      var dt = (t - prev.t) / 1000;
      if (dt > 0) {
        record(t, {
          inMsgs: Math.max(0, (v.in_msgs - prev.in_msgs) / dt),
          outMsgs: Math.max(0, (v.out_msgs - prev.out_msgs) / dt),
          inBytes: Math.max(0, (v.in_bytes - prev.in_bytes) / dt),
          outBytes: Math.max(0, (v.out_bytes - prev.out_bytes) / dt),
          conns: v.connections
        });
      }
    }
    prev = { t: t, in_msgs: v.in_msgs, out_msgs: v.out_msgs, in_bytes: v.in_bytes, out_bytes: v.out_bytes };
    state.samples = hist.t.length;

    $('m-name').textContent = v.server_name.length > 24 ? v.server_name.slice(0, 10) + '…' + v.server_name.slice(-6) : v.server_name;
    $('m-name').title = v.server_name;
    $('m-version').textContent = v.version;
    $('m-uptime').textContent = v.uptime;
    $('m-node').textContent = v.go.replace(/^node/, '');

    var last = function (a) { return a.length ? a[a.length - 1] : null; };
    var rIn = last(hist.inMsgs), rOut = last(hist.outMsgs), bIn = last(hist.inBytes), bOut = last(hist.outBytes);
    setVal('k-conns', num(v.connections));
    $('k-conns-sub').textContent = num(v.total_connections) + ' accepted';
    setVal('k-subs', num(v.subscriptions));
    $('k-subs-sub').textContent = 'all accounts';
    setVal('k-inmsgs', num(rIn), '/s');
    $('k-inmsgs-sub').textContent = num(v.in_msgs) + ' total';
    setVal('k-outmsgs', num(rOut), '/s');
    $('k-outmsgs-sub').textContent = num(v.out_msgs) + ' total';
    setVal('k-inbytes', bIn === null ? '–' : bytes(bIn), '/s');
    $('k-inbytes-sub').textContent = bytes(v.in_bytes) + ' total';
    setVal('k-outbytes', bOut === null ? '–' : bytes(bOut), '/s');
    $('k-outbytes-sub').textContent = bytes(v.out_bytes) + ' total';
    setVal('k-slow', num(v.slow_consumers));
    $('k-slow-box').className = 'kpi' + (v.slow_consumers > 0 ? ' alert' : '');
    setVal('k-mem', bytes(v.mem));
    var lag = (metrics.starling_event_loop_delay_seconds || []).filter(function (s) { return s.labels.stat === 'p99'; })[0];
    var lagMs = lag ? lag.value * 1000 : null;
    $('k-cpu').textContent = 'CPU ' + v.cpu + '%' + (lagMs !== null ? ' · lag ' + lagMs.toFixed(lagMs < 10 ? 1 : 0) + ' ms' : '');
    $('k-cpu').title = 'CPU of one core over the last second; event-loop delay p99 over the last 15 s';

    $('l-inmsgs').textContent = num(rIn) + '/s';
    $('l-outmsgs').textContent = num(rOut) + '/s';
    $('l-inbytes').textContent = (bIn === null ? '–' : bytes(bIn)) + '/s';
    $('l-outbytes').textContent = (bOut === null ? '–' : bytes(bOut)) + '/s';
    $('c-msgs-now').textContent = 'last ' + dur(span());
    $('c-bytes-now').textContent = 'last ' + dur(span());

    // Connections by kind (from /metrics).
    var kinds = (metrics.starling_connections || []).map(function (s) { return { kind: s.labels.kind, n: s.value }; });
    var totalK = kinds.reduce(function (a, k) { return a + k.n; }, 0);
    var maxK = Math.max.apply(null, [1].concat(kinds.map(function (k) { return k.n; })));
    var colors = ['--c1', '--c2', '--c3', '--c4', '--c5', '--c6', '--c7'];
    var names = { standard: 'NATS (TCP)', websocket: 'WebSocket', leafnode: 'Leafnode', leafnode_ws: 'Leafnode (WS)', mqtt: 'MQTT', mqtt_ws: 'MQTT (WS)', in_process: 'In-process' };
    $('kinds').innerHTML = kinds.map(function (k, i) {
      return '<div class="kind" data-kind="' + esc(k.kind) + '"><span>' + esc(names[k.kind] || k.kind) + '</span><div class="track"><div class="fill" style="width:' +
        (k.n / maxK * 100).toFixed(1) + '%;background:var(' + colors[i % colors.length] + ')"></div></div><span class="n">' + num(k.n) + '</span></div>';
    }).join('');
    $('kinds-total').textContent = num(totalK) + ' open';

    // Top connections.
    var conns = connz.connections || [];
    $('t-conns').innerHTML = conns.length ? conns.map(function (c) {
      return '<tr><td>' + c.cid + '</td><td title="' + esc(c.name || '') + '">' + esc(c.name || '—') + '</td><td>' + esc(c.ip ? c.ip + ':' + c.port : 'in-process') +
        '</td><td class="num">' + num(c.in_msgs) + '</td><td class="num">' + num(c.out_msgs) + '</td><td class="num">' + bytes(c.out_bytes) +
        '</td><td class="num">' + num(c.subscriptions) + '</td><td class="num">' + bytes(c.pending_bytes) + '</td></tr>';
    }).join('') : '<tr><td colspan="8" class="empty">No connections</td></tr>';

    // Accounts.
    var accs = (accstatz.account_statz || []).slice().sort(function (a, b) { return b.conns - a.conns || (a.acc < b.acc ? -1 : 1); });
    $('t-accounts').innerHTML = accs.length ? accs.map(function (a) {
      return '<tr><td>' + esc(a.acc) + '</td><td class="num">' + num(a.conns) + '</td><td class="num">' + num(a.received.msgs) + '</td><td class="num">' + num(a.sent.msgs) +
        '</td><td class="num">' + bytes(a.received.bytes) + '</td><td class="num">' + bytes(a.sent.bytes) + '</td><td class="num">' + num(a.slow_consumers) + '</td></tr>';
    }).join('') : '<tr><td colspan="7" class="empty">No accounts</td></tr>';

    if (subsz) {
      var by = {};
      (subsz.subscriptions_list || []).forEach(function (s) {
        var key = s.subject + '\u0000' + (s.qgroup || '');
        var e = by[key] || (by[key] = { subject: s.subject, queue: s.qgroup || '', subs: 0, msgs: 0 });
        e.subs++; e.msgs += s.msgs;
      });
      var top = Object.keys(by).map(function (k) { return by[k]; }).sort(function (a, b) { return b.msgs - a.msgs || b.subs - a.subs; }).slice(0, 8);
      var maxM = Math.max.apply(null, [1].concat(top.map(function (s) { return s.msgs; })));
      $('t-subjects').innerHTML = top.length ? top.map(function (s) {
        return '<tr><td title="' + esc(s.subject) + '">' + esc(s.subject) + '</td><td>' + (s.queue ? '<span class="tag">' + esc(s.queue) + '</span>' : '') +
          '</td><td class="num">' + num(s.subs) + '</td><td class="num">' + num(s.msgs) + '</td><td><div class="bar" style="width:' + (s.msgs / maxM * 100).toFixed(1) + '%"></div></td></tr>';
      }).join('') : '<tr><td colspan="5" class="empty">No subscriptions</td></tr>';
    }
    if (closed) {
      var list = closed.connections || [];
      var slow = list.filter(function (c) { return /^Slow Consumer/.test(c.reason || ''); }).slice(0, 8);
      $('t-slow').innerHTML = slow.length ? slow.map(function (c) {
        return '<tr><td>' + c.cid + '</td><td>' + esc(c.name || '—') + '</td><td>' + esc(c.ip ? c.ip + ':' + c.port : 'in-process') + '</td><td><span class="tag warn">' +
          esc(c.reason.replace('Slow Consumer ', '')) + '</span></td><td>' + ago(c.stop) + '</td><td class="num">' + num(c.out_msgs) + '</td></tr>';
      }).join('') : '<tr><td colspan="6" class="empty">None — no connection was closed as a slow consumer recently</td></tr>';
      var auth = list.filter(function (c) { return /^Authentication|^Credentials/.test(c.reason || ''); }).slice(0, 8);
      $('t-auth').innerHTML = auth.length ? auth.map(function (c) {
        return '<tr><td>' + c.cid + '</td><td>' + esc(c.authorized_user || '—') + '</td><td>' + esc(c.ip ? c.ip + ':' + c.port : 'in-process') + '</td><td><span class="tag bad">' +
          esc(c.reason) + '</span></td><td>' + ago(c.stop) + '</td></tr>';
      }).join('') : '<tr><td colspan="5" class="empty">None — no connection failed authentication recently</td></tr>';
    }
    state.last = { inMsgsRate: rIn, outMsgsRate: rOut, inBytesRate: bIn, outBytesRate: bOut, connections: v.connections, in_msgs: v.in_msgs };
    redraw();
  }

  function niceMax(m) {
    if (m <= 0) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(m)));
    var f = m / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 4 ? 4 : f <= 8 ? 8 : 10) * p;
  }
  /** Nice maxima in binary units for byte axes (ticks at quarters: 256 KiB, 512 KiB, ...). */
  function niceBytes(m) {
    if (m <= 0) return 1024;
    var u = 1;
    while (m / u >= 1024) u *= 1024;
    return niceMax(m / u) * u;
  }

  function chart(id, series, fmt, nice) {
    var svg = $(id);
    var W = svg.clientWidth || 600, H = svg.clientHeight || 190;
    var R = 8, T = 8, B = 20;
    var n = hist.t.length;
    var max = 0;
    series.forEach(function (s) { s.data.forEach(function (x) { if (x > max) max = x; }); });
    max = (nice || niceMax)(max * 1.1);
    // room for the widest y label
    var widest = 0;
    for (var q = 0; q <= 4; q++) widest = Math.max(widest, fmt(max * q / 4).length);
    var L = Math.max(36, Math.round(widest * 6.4) + 12);
    var out = '';
    for (var g = 0; g <= 4; g++) {
      var y = T + (H - T - B) * (1 - g / 4);
      out += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + y.toFixed(1) + '" y2="' + y.toFixed(1) + '"/>';
      out += '<text x="' + (L - 8) + '" y="' + (y + 4).toFixed(1) + '" text-anchor="end">' + esc(fmt(max * g / 4)) + '</text>';
    }
    // The x axis covers the samples held (up to five minutes), at least ten seconds.
    var t1 = n ? hist.t[n - 1] : Date.now();
    var sp = span();
    var t0 = t1 - sp;
    for (var m = 0; m <= 4; m++) {
      var tx = L + (W - L - R) * m / 4;
      var ago = (t1 - (t0 + sp * m / 4));
      out += '<text x="' + tx.toFixed(1) + '" y="' + (H - 4) + '" text-anchor="' + (m === 0 ? 'start' : m === 4 ? 'end' : 'middle') + '">' +
        (ago < 500 ? 'now' : '-' + dur(ago)) + '</text>';
    }
    series.forEach(function (s) {
      if (!n) return;
      var pts = s.data.map(function (v, i) {
        var x = L + (W - L - R) * (hist.t[i] - t0) / sp;
        var y = T + (H - T - B) * (1 - v / max);
        return x.toFixed(1) + ',' + y.toFixed(1);
      });
      var color = css(s.color);
      var baseY = (H - B).toFixed(1);
      var firstX = pts[0].split(',')[0], lastX = pts[pts.length - 1].split(',')[0];
      out += '<path d="M' + firstX + ',' + baseY + ' L' + pts.join(' L') + ' L' + lastX + ',' + baseY + ' Z" fill="' + color + '" fill-opacity="0.10"/>';
      out += '<path class="line" data-series="' + s.name + '" d="M' + pts.join(' L') + '" fill="none" stroke="' + color + '" stroke-width="1.8" stroke-linejoin="round" vector-effect="non-scaling-stroke"/>';
    });
    if (!n) out += '<text x="' + (W / 2) + '" y="' + (H / 2) + '" text-anchor="middle">collecting…</text>';
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
    svg.innerHTML = out;
  }

  function redraw() {
    chart('chart-msgs', [{ name: 'in', data: hist.inMsgs, color: '--c1' }, { name: 'out', data: hist.outMsgs, color: '--c2' }], function (x) { return axisNum(x) + '/s'; });
    chart('chart-bytes', [{ name: 'in', data: hist.inBytes, color: '--c3' }, { name: 'out', data: hist.outBytes, color: '--c4' }], function (x) { return bytes(x) + '/s'; }, niceBytes);
    chart('chart-conns', [{ name: 'connections', data: hist.conns, color: '--c6' }], axisNum);
  }

  window.addEventListener('resize', redraw);
  poll();
  schedule();
})();
</script>
</body>
</html>
`;
