// The asyncore operator's console. Reads the actuator endpoint "channels" about once a second and shows
// loops, channels and one channel's detail. Every value from the server reaches the page through
// textContent or an attribute, never as markup: channel names are chosen by applications and peers.
// Fields that a server may not report yet (busyFraction, handlerRuns, idleFor, diagnostics, events) are
// read defensively and shown as "–" when absent.
import { createChart, draw } from './chart.js';

const HISTORY = 60;
const DASH = '–';

const state = {
  config: null,
  paused: false,
  timer: null,
  clockSkew: 0,
  loops: new Map(),        // name -> { card, fields, chart, last, iterations[], events[], busy[] }
  rates: new Map(),        // channel id -> { at, bytesRead, bytesWritten, readRate, writeRate }
  rows: new Map(),         // channel id -> <tr>
  channels: [],
  selected: null,          // id of the selected channel
  detail: null,            // last descriptor of the selected channel
  gone: false,             // whether the selected channel has left the list
  sort: { key: 'id', dir: 1 },
};

const $ = (id) => document.getElementById(id);

function setStatus(text, error = false) {
  const status = $('status');
  status.textContent = text;
  status.classList.toggle('error', error);
}

// ---------- formatting ----------

function bytes(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    return DASH;
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0) ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function rate(n, unit) {
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    return DASH;
  }
  return (unit === 'bytes') ? `${bytes(Math.round(n))}/s` : `${n < 10 ? n.toFixed(1) : Math.round(n)}/s`;
}

function duration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    return DASH;
  }
  if (ms < 1000) {
    return `${Math.round(ms)} ms`;
  }
  const s = ms / 1000;
  if (s < 60) {
    return `${s.toFixed(1)} s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m} min ${Math.floor(s % 60)} s`;
  }
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** ISO-8601 duration (PT3.2S, P1DT2H, PT-0.5S) in milliseconds, or null. */
function isoDurationMillis(text) {
  if (typeof text !== 'string') {
    return null;
  }
  const match = /^(-)?P(?:(\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!match) {
    return null;
  }
  const [, negative, d, h, m, s] = match;
  const ms = ((Number(d || 0) * 24 + Number(h || 0)) * 60 + Number(m || 0)) * 60000 + Number(s || 0) * 1000;
  return negative ? -ms : ms;
}

function time(iso) {
  if (typeof iso !== 'string') {
    return DASH;
  }
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleTimeString(undefined, { hour12: false }) +
    '.' + String(at.getMilliseconds()).padStart(3, '0');
}

function yesNo(value) {
  return (value === true) ? '✓ yes' : (value === false) ? '✗ no' : DASH;
}

function text(value) {
  return (value === undefined || value === null || value === '') ? DASH : String(value);
}

function shortClass(name) {
  return (typeof name === 'string') ? name.substring(name.lastIndexOf('.') + 1) : DASH;
}

// ---------- derived values ----------

function idleMillis(channel, now) {
  const reported = isoDurationMillis(channel.idleFor);
  if (reported !== null) {
    return reported;
  }
  const times = [channel.lastReadAt, channel.lastWriteAt, channel.createdAt]
    .map((t) => (typeof t === 'string') ? Date.parse(t) : NaN)
    .filter((t) => Number.isFinite(t));
  return (times.length > 0) ? Math.max(0, now + state.clockSkew - Math.max(...times)) : null;
}

function interest(channel) {
  return `${channel.readable ? 'R' : '·'} ${channel.writable ? 'W' : '·'}`;
}

function interestTitle(channel) {
  return `readable: ${channel.readable ? 'yes' : 'no'}, writable: ${channel.writable ? 'yes' : 'no'}`;
}

function tlsText(channel) {
  if (!channel.tls) {
    return DASH;
  }
  if (channel.protocol) {
    return String(channel.protocol);
  }
  return (channel.kind === 'LISTENER') ? 'TLS' : 'handshaking';
}

function diagnosticsOf(channel) {
  return Array.isArray(channel.diagnostics) ? channel.diagnostics.filter((d) => d !== null && d !== '') : [];
}

function updateRates(channels, at) {
  const seen = new Set();
  for (const channel of channels) {
    seen.add(channel.id);
    const previous = state.rates.get(channel.id);
    const next = { at, bytesRead: channel.bytesRead, bytesWritten: channel.bytesWritten, readRate: null, writeRate: null };
    if (previous) {
      const seconds = (at - previous.at) / 1000;
      if (seconds > 0.05) {
        next.readRate = Math.max(0, (channel.bytesRead - previous.bytesRead) / seconds);
        next.writeRate = Math.max(0, (channel.bytesWritten - previous.bytesWritten) / seconds);
      }
      else {
        next.at = previous.at;
        next.bytesRead = previous.bytesRead;
        next.bytesWritten = previous.bytesWritten;
        next.readRate = previous.readRate;
        next.writeRate = previous.writeRate;
      }
    }
    state.rates.set(channel.id, next);
  }
  for (const id of [...state.rates.keys()]) {
    if (!seen.has(id)) {
      state.rates.delete(id);
    }
  }
}

// ---------- loops ----------

const LOOP_FIELDS = [
  ['running', 'Running'], ['iterationRate', 'Iterations'], ['eventRate', 'Events'], ['busy', 'Busy'],
  ['stalls', 'Stalls'], ['pendingTasks', 'Pending tasks'], ['channels', 'Channels'], ['thread', 'Thread'],
];

function loopCard(name) {
  let loop = state.loops.get(name);
  if (loop) {
    return loop;
  }
  const card = document.createElement('article');
  card.className = 'loop';
  card.dataset.loop = name;
  const title = document.createElement('h3');
  const titleName = document.createElement('span');
  titleName.textContent = name;
  const titleFlag = document.createElement('span');
  title.append(titleName, titleFlag);
  const dl = document.createElement('dl');
  const fields = { flag: titleFlag };
  for (const [key, label] of LOOP_FIELDS) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.dataset.field = key;
    dl.append(dt, dd);
    fields[key] = dd;
  }
  const chart = createChart(`Loop ${name}: iterations per second, events per second and busy fraction, last minute`);
  const legend = document.createElement('div');
  legend.className = 'legend';
  legend.textContent = 'solid: iterations/s · dotted: events/s · dashed: busy % (0–100)';
  card.append(title, dl, chart, legend);
  $('loops').appendChild(card);
  loop = { card, fields, chart, last: null, iterations: [], events: [], busy: [] };
  state.loops.set(name, loop);
  return loop;
}

function push(values, value) {
  values.push(value);
  if (values.length > HISTORY) {
    values.shift();
  }
}

function renderLoops(loops, at) {
  const names = new Set();
  for (const data of loops) {
    if (!data || typeof data.name !== 'string') {
      continue;
    }
    names.add(data.name);
    const loop = loopCard(data.name);
    const last = loop.last;
    let iterationRate = null;
    let eventRate = null;
    if (last && at - last.at > 50) {
      const seconds = (at - last.at) / 1000;
      iterationRate = Math.max(0, (data.iterations - last.iterations) / seconds);
      if (typeof data.handlerRuns === 'number' && typeof last.handlerRuns === 'number') {
        eventRate = Math.max(0, (data.handlerRuns - last.handlerRuns) / seconds);
      }
    }
    loop.last = { at, iterations: data.iterations, handlerRuns: data.handlerRuns };
    const busy = (typeof data.busyFraction === 'number') ? Math.min(Math.max(data.busyFraction, 0), 1) : null;
    if (iterationRate !== null) {
      push(loop.iterations, iterationRate);
      push(loop.events, eventRate);
      push(loop.busy, busy);
    }
    const f = loop.fields;
    f.running.textContent = data.running ? '✓ running' : '✗ stopped';
    f.running.className = data.running ? 'flag-good' : 'flag-bad';
    f.iterationRate.textContent = rate(iterationRate);
    f.eventRate.textContent = (typeof data.handlerRuns === 'number') ? rate(eventRate) : DASH;
    f.busy.textContent = (busy !== null) ? `${(busy * 100).toFixed(busy < 0.1 ? 1 : 0)} %` : DASH;
    f.stalls.textContent = text(data.stalls);
    f.pendingTasks.textContent = text(data.pendingTasks);
    f.channels.textContent = text(data.channels);
    f.thread.textContent = text(data.thread);
    const flags = [];
    if (data.stalled) {
      flags.push('⚠ stalled now');
    }
    if (data.failure) {
      flags.push(`✗ failed: ${data.failure}`);
    }
    f.flag.textContent = flags.join(' ');
    f.flag.className = flags.length ? 'flag-bad' : '';
    const iterationMax = Math.max(1, ...loop.iterations.filter(Number.isFinite));
    const eventMax = Math.max(1, ...loop.events.filter(Number.isFinite));
    draw(loop.chart, [
      { values: loop.iterations, className: 'chart-iterations', max: iterationMax * 1.1 },
      { values: loop.events.map((v) => (v === null ? NaN : v)), className: 'chart-events', max: eventMax * 1.1 },
      { values: loop.busy.map((v) => (v === null ? NaN : v)), className: 'chart-busy', max: 1 },
    ].filter((s) => s.values.some(Number.isFinite)), HISTORY);
  }
  for (const [name, loop] of [...state.loops]) {
    if (!names.has(name)) {
      loop.card.remove();
      state.loops.delete(name);
    }
  }
}

// ---------- clients ----------

function renderClients(clients) {
  const list = Array.isArray(clients) ? clients : [];
  $('clients-section').hidden = list.length === 0;
  const body = $('clients').tBodies[0];
  body.replaceChildren(...list.map((client) => {
    const row = document.createElement('tr');
    for (const value of [client.name, client.remoteAddress, client.state, client.failedAttempts, client.connects,
      time(client.nextAttempt), client.lastFailure]) {
      const cell = document.createElement('td');
      cell.textContent = text(value);
      row.appendChild(cell);
    }
    return row;
  }));
}

// ---------- channels ----------

const COLUMNS = [
  { key: 'id', cls: 'num', value: (c) => c.id },
  { key: 'name', cls: 'name', value: (c) => c.name, title: (c) => `${c.name} (${c.dispatcher})` },
  { key: 'kind', value: (c) => c.kind },
  { key: 'state', value: (c) => c.state, render: (c) => (diagnosticsOf(c).length ? `⚠ ${c.state}` : c.state),
    title: (c) => diagnosticsOf(c).join('\n') },
  { key: 'localAddress', value: (c) => c.localAddress },
  { key: 'remoteAddress', value: (c) => c.remoteAddress },
  { key: 'interest', cls: 'interest', value: interest, title: interestTitle },
  { key: 'bytesRead', cls: 'num', value: (c) => c.bytesRead, render: (c) => bytes(c.bytesRead) },
  { key: 'readRate', cls: 'num', value: (c) => state.rates.get(c.id)?.readRate,
    render: (c) => rate(state.rates.get(c.id)?.readRate, 'bytes') },
  { key: 'bytesWritten', cls: 'num', value: (c) => c.bytesWritten, render: (c) => bytes(c.bytesWritten) },
  { key: 'writeRate', cls: 'num', value: (c) => state.rates.get(c.id)?.writeRate,
    render: (c) => rate(state.rates.get(c.id)?.writeRate, 'bytes') },
  { key: 'pendingOutputBytes', cls: 'num', value: (c) => c.pendingOutputBytes, render: null },
  { key: 'idleMillis', cls: 'num', value: (c) => idleMillis(c, Date.now()), render: (c) => duration(idleMillis(c, Date.now())) },
  { key: 'protocol', value: tlsText, title: (c) => (c.cipherSuite ? String(c.cipherSuite) : '') },
];

function pendingCell(cell, channel) {
  const pending = channel.pendingOutputBytes;
  const limit = (channel.outputSoftLimit > 0) ? channel.outputSoftLimit : channel.outputHardLimit;
  const label = document.createElement('span');
  label.textContent = bytes(pending);
  const parts = [bytes(pending)];
  if (channel.outputSoftLimit > 0) {
    parts.push(`soft limit ${bytes(channel.outputSoftLimit)}`);
  }
  if (channel.outputHardLimit > 0) {
    parts.push(`hard limit ${bytes(channel.outputHardLimit)}`);
  }
  if (channel.outputWritable === false) {
    parts.push('above the high water mark: reading paused');
    label.textContent = `⏸ ${label.textContent}`;
  }
  cell.title = parts.join(', ');
  const nodes = [label];
  if (limit > 0 && typeof pending === 'number') {
    const meter = document.createElement('span');
    meter.className = 'meter';
    const fill = document.createElement('span');
    const fraction = Math.min(1, pending / limit);
    fill.style.width = `${(fraction * 100).toFixed(1)}%`;
    meter.classList.toggle('over', pending >= limit);
    meter.appendChild(fill);
    meter.setAttribute('role', 'img');
    meter.setAttribute('aria-label', `${(fraction * 100).toFixed(0)}% of the ${channel.outputSoftLimit > 0 ? 'soft' : 'hard'} limit`);
    nodes.push(meter);
  }
  cell.replaceChildren(...nodes);
}

function rowFor(channel) {
  let row = state.rows.get(channel.id);
  if (!row) {
    row = document.createElement('tr');
    row.dataset.id = String(channel.id);
    row.tabIndex = 0;
    for (const column of COLUMNS) {
      const cell = document.createElement('td');
      cell.dataset.col = column.key;
      if (column.cls) {
        cell.className = column.cls;
      }
      row.appendChild(cell);
    }
    state.rows.set(channel.id, row);
  }
  COLUMNS.forEach((column, i) => {
    const cell = row.cells[i];
    if (column.key === 'pendingOutputBytes') {
      pendingCell(cell, channel);
    }
    else {
      cell.textContent = text(column.render ? column.render(channel) : column.value(channel));
      if (column.title) {
        cell.title = column.title(channel);
      }
    }
    const raw = column.value(channel);
    if (typeof raw === 'number' && Number.isFinite(raw)) {
      cell.dataset.value = String(raw);
    }
    else {
      delete cell.dataset.value;
    }
  });
  row.dataset.kind = String(channel.kind);
  row.dataset.state = String(channel.state);
  row.setAttribute('aria-selected', String(channel.id === state.selected));
  return row;
}

function compare(a, b) {
  const column = COLUMNS.find((c) => c.key === state.sort.key) || COLUMNS[0];
  const x = column.value(a);
  const y = column.value(b);
  const missingX = x === undefined || x === null;
  const missingY = y === undefined || y === null;
  if (missingX || missingY) {
    return (missingX && missingY) ? a.id - b.id : (missingX ? 1 : -1);
  }
  const order = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y));
  return (order !== 0) ? order * state.sort.dir : a.id - b.id;
}

function updateFilterOptions(channels) {
  for (const select of $('filters').querySelectorAll('select')) {
    const field = select.dataset.field;
    const values = new Set(channels.map((c) => c[field]).filter((v) => typeof v === 'string'));
    if (select.value) {
      values.add(select.value);
    }
    const sorted = [...values].sort();
    const current = [...select.options].slice(1).map((o) => o.value);
    if (sorted.join('\n') === current.join('\n')) {
      continue;
    }
    const chosen = select.value;
    const options = [select.options[0]];
    for (const value of sorted) {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = (field === 'dispatcher') ? shortClass(value) : value;
      option.title = value;
      options.push(option);
    }
    select.replaceChildren(...options);
    select.value = chosen;
  }
}

function renderChannels() {
  const channels = state.channels;
  updateFilterOptions(channels);
  const filters = [...$('filters').querySelectorAll('select')]
    .filter((s) => s.value)
    .map((s) => [s.dataset.field, s.value]);
  const shown = channels.filter((c) => filters.every(([field, value]) => c[field] === value)).sort(compare);
  const body = $('channels').tBodies[0];
  const live = new Set(channels.map((c) => c.id));
  for (const id of [...state.rows.keys()]) {
    if (!live.has(id)) {
      state.rows.get(id).remove();
      state.rows.delete(id);
    }
  }
  const rows = shown.map(rowFor);
  const shownIds = new Set(shown.map((c) => c.id));
  for (const [id, row] of state.rows) {
    if (!shownIds.has(id)) {
      row.remove();
    }
  }
  rows.forEach((row, i) => {
    if (body.rows[i] !== row) {
      body.insertBefore(row, body.rows[i] || null);
    }
  });
  $('no-channels').hidden = shown.length > 0;
  $('channel-count').textContent = (shown.length === channels.length)
    ? `(${channels.length})` : `(${shown.length} of ${channels.length})`;
}

function renderSortHeaders() {
  for (const th of $('channels').tHead.querySelectorAll('th[data-sort]')) {
    if (th.dataset.sort === state.sort.key) {
      th.setAttribute('aria-sort', state.sort.dir > 0 ? 'ascending' : 'descending');
    }
    else {
      th.removeAttribute('aria-sort');
    }
  }
}

// ---------- detail ----------

const DETAIL_FIELDS = [
  ['Id', (c) => c.id], ['Name', (c) => c.name], ['Dispatcher', (c) => c.dispatcher], ['Kind', (c) => c.kind],
  ['State', (c) => c.state], ['Loop', (c) => c.loop], ['Local', (c) => c.localAddress],
  ['Remote', (c) => c.remoteAddress], ['Readable', (c) => yesNo(c.readable)], ['Writable', (c) => yesNo(c.writable)],
  ['Bytes in', (c) => bytes(c.bytesRead)], ['Bytes out', (c) => bytes(c.bytesWritten)],
  ['Pending out', (c) => bytes(c.pendingOutputBytes)],
  ['Output writable', (c) => yesNo(c.outputWritable)],
  ['Soft limit', (c) => (c.outputSoftLimit > 0 ? bytes(c.outputSoftLimit) : 'none')],
  ['Hard limit', (c) => (c.outputHardLimit > 0 ? bytes(c.outputHardLimit) : 'none')],
  ['Created', (c) => time(c.createdAt)], ['Last read', (c) => time(c.lastReadAt)],
  ['Last write', (c) => time(c.lastWriteAt)], ['Idle', (c) => duration(idleMillis(c, Date.now()))],
  ['Input ended', (c) => yesNo(c.inputEnded)], ['Output shut down', (c) => yesNo(c.outputShutdown)],
  ['TLS', (c) => (c.tls ? tlsText(c) : 'no')], ['Cipher suite', (c) => c.cipherSuite],
];

function renderDetail() {
  const channel = state.detail;
  $('detail-empty').hidden = channel !== null;
  $('detail-body').hidden = channel === null;
  if (channel === null) {
    $('detail-title').textContent = 'Channel';
    return;
  }
  $('detail-title').textContent = `Channel ${channel.id}: ${channel.name}`;
  $('detail-gone').hidden = !state.gone;
  const closable = state.config.closeAllowed && !state.gone && channel.kind !== undefined;
  $('detail-actions').hidden = !closable;
  const fields = [];
  for (const [label, value] of DETAIL_FIELDS) {
    const dt = document.createElement('dt');
    dt.textContent = label;
    const dd = document.createElement('dd');
    dd.textContent = text(value(channel));
    fields.push(dt, dd);
  }
  $('detail-fields').replaceChildren(...fields);
  const diagnostics = diagnosticsOf(channel);
  $('detail-diagnostics').replaceChildren(...(diagnostics.length ? diagnostics : ['none']).map((d) => {
    const item = document.createElement('li');
    item.textContent = diagnostics.length ? `⚠ ${d}` : d;
    return item;
  }));
  const events = Array.isArray(channel.events) ? channel.events : [];
  $('detail-no-events').hidden = events.length > 0;
  $('detail-events').hidden = events.length === 0;
  $('detail-events').tBodies[0].replaceChildren(...events.slice().reverse().map((event) => {
    const row = document.createElement('tr');
    for (const value of [time(event?.at), event?.event, event?.detail]) {
      const cell = document.createElement('td');
      cell.textContent = text(value);
      row.appendChild(cell);
    }
    return row;
  }));
}

function select(id) {
  state.selected = id;
  state.gone = false;
  state.detail = state.channels.find((c) => c.id === id) || null;
  for (const [rowId, row] of state.rows) {
    row.setAttribute('aria-selected', String(rowId === id));
  }
  renderDetail();
  refreshDetail().catch(reportError);
}

async function refreshDetail() {
  const id = state.selected;
  if (id === null || state.gone) {
    return;
  }
  const listed = state.channels.find((c) => c.id === id);
  if (!listed) {
    // it left the list: closed; keep what was last known, and ask no more
    state.gone = true;
    renderDetail();
    return;
  }
  const response = await fetch(`${state.config.channels}/${encodeURIComponent(id)}`, {
    cache: 'no-store', headers: { Accept: 'application/json' },
  });
  if (id !== state.selected) {
    return;
  }
  if (response.status === 404) {
    state.gone = true;
  }
  else if (response.ok) {
    state.detail = await response.json();
  }
  else {
    throw new Error(`GET channel ${id}: HTTP ${response.status}`);
  }
  renderDetail();
}

async function closeSelected(mode) {
  const id = state.selected;
  if (id === null || !state.config.closeAllowed) {
    return;
  }
  for (const button of $('detail-actions').querySelectorAll('button')) {
    button.disabled = true;
  }
  try {
    const response = await fetch(`${state.config.channels}/${encodeURIComponent(id)}?mode=${encodeURIComponent(mode)}`, {
      method: 'DELETE', cache: 'no-store', headers: { Accept: 'application/json' },
    });
    if (response.ok) {
      setStatus(`Channel ${id}: ${mode === 'abort' ? 'aborted (reset)' : 'closing (drain)'}.`);
      if (id === state.selected) {
        // it is closing: ask for it no more (it may still be listed as CLOSING for a moment)
        state.gone = true;
        renderDetail();
      }
    }
    else if (response.status === 404) {
      setStatus(`Channel ${id} was already closed.`);
    }
    else {
      setStatus(`Closing channel ${id} failed: HTTP ${response.status}.`, true);
    }
  }
  finally {
    for (const button of $('detail-actions').querySelectorAll('button')) {
      button.disabled = false;
    }
  }
  await refresh();
}

// ---------- refresh ----------

function reportError(error) {
  setStatus(`Cannot read the channels endpoint: ${error && error.message ? error.message : error}`, true);
}

async function refresh() {
  const response = await fetch(state.config.channels, { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`HTTP ${response.status}`);
  }
  const body = await response.json();
  const at = Date.now();
  const date = Date.parse(response.headers.get('Date') || '');
  if (Number.isFinite(date)) {
    state.clockSkew = date + 500 - at;   // the Date header has whole seconds: take the middle
  }
  state.channels = Array.isArray(body.channels) ? body.channels.filter((c) => c && typeof c.id === 'number') : [];
  updateRates(state.channels, at);
  renderLoops(Array.isArray(body.loops) ? body.loops : [], at);
  renderClients(body.clients);
  renderChannels();
  if (state.selected !== null) {
    const listed = state.channels.find((c) => c.id === state.selected);
    if (listed && state.detail) {
      // keep the events of the last detail until the new one arrives
      state.detail = { ...listed, events: state.detail.events };
    }
    await refreshDetail();
  }
  const loops = Array.isArray(body.loops) ? body.loops.length : 0;
  setStatus(`Updated ${new Date(at).toLocaleTimeString(undefined, { hour12: false })} · ${loops} loop${loops === 1 ? '' : 's'} · ${state.channels.length} channel${state.channels.length === 1 ? '' : 's'}${state.config.closeAllowed ? '' : ' · read-only (closing needs management.endpoint.channels.access=unrestricted)'}`);
}

function schedule() {
  clearTimeout(state.timer);
  if (state.paused) {
    return;
  }
  state.timer = setTimeout(async () => {
    try {
      await refresh();
    }
    catch (error) {
      reportError(error);
    }
    schedule();
  }, state.config.refreshMillis || 1000);
}

function bind() {
  $('channels').tHead.addEventListener('click', (event) => {
    const th = event.target.closest('th[data-sort]');
    if (!th) {
      return;
    }
    state.sort = (state.sort.key === th.dataset.sort) ? { key: th.dataset.sort, dir: -state.sort.dir }
      : { key: th.dataset.sort, dir: 1 };
    renderSortHeaders();
    renderChannels();
  });
  for (const th of $('channels').tHead.querySelectorAll('th[data-sort]')) {
    th.tabIndex = 0;
    th.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        th.click();
      }
    });
  }
  $('channels').tBodies[0].addEventListener('click', (event) => {
    const row = event.target.closest('tr[data-id]');
    if (row) {
      select(Number(row.dataset.id));
    }
  });
  $('channels').tBodies[0].addEventListener('keydown', (event) => {
    const row = event.target.closest('tr[data-id]');
    if (row && (event.key === 'Enter' || event.key === ' ')) {
      event.preventDefault();
      select(Number(row.dataset.id));
    }
  });
  $('filters').addEventListener('change', () => renderChannels());
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  for (const button of $('detail-actions').querySelectorAll('button[data-action]')) {
    button.addEventListener('click', () => closeSelected(button.dataset.action).catch(reportError));
  }
  $('pause').addEventListener('click', () => {
    state.paused = !state.paused;
    $('pause').textContent = state.paused ? 'Resume' : 'Pause';
    $('pause').setAttribute('aria-pressed', String(state.paused));
    if (state.paused) {
      setStatus('Paused.');
    }
    schedule();
  });
}

async function start() {
  const response = await fetch('config.json', { cache: 'no-store', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(`config.json: HTTP ${response.status}`);
  }
  state.config = await response.json();
  if (!state.config.channels) {
    setStatus('The channels endpoint is not exposed over the web: add "channels" to management.endpoints.web.exposure.include.', true);
    return;
  }
  $('endpoint-url').textContent = state.config.channels;
  bind();
  renderSortHeaders();
  try {
    await refresh();
  }
  catch (error) {
    reportError(error);
  }
  schedule();
}

start().catch(reportError);
