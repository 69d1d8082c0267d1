// The rapporteur's notes page: follows the live list (the current speaker
// is at hand), saves as you type, and never loses a note: every keystroke
// is kept in localStorage until the server has it, and saving is retried
// until the connection comes back.
import { accountBar } from './staff.js';
import { api, el, login, slug, HTTPError } from './summary-common.js';
import { countryName, typeLabel } from './vocabulary.js';
import { kindLabel } from './livestate.js';
import { n, t } from './i18n.js';

const storeKey = `rostrum:notes:${slug}`;
const status = document.getElementById('save-status');
const list = document.getElementById('interventions');
const follow = document.getElementById('follow');
const liveStatus = document.getElementById('live-status');
const form = document.getElementById('note-form');
const textBox = document.getElementById('note-text');
const pointsBox = document.getElementById('note-points');
const themeBox = document.getElementById('note-theme');
const themeList = document.getElementById('theme-suggestions');

let entries = [];
let items = new Map();
let selected = 0;
let saveTimer = 0;
let retryDelay = 2000;
let saving = false;

// Unsaved notes by speaker id: {text, key_points}.
function pending() {
  try { return JSON.parse(localStorage.getItem(storeKey) || '{}'); } catch { return {}; }
}
function setPending(p) { localStorage.setItem(storeKey, JSON.stringify(p)); }

function setStatus(state, text) {
  status.dataset.state = state;
  status.textContent = text;
}

function showSaved() {
  const count = Object.keys(pending()).length;
  if (count === 0) setStatus('saved', t("notes.all_saved"));
  else setStatus('dirty', n("notes.unsaved", count));
}

// What the live list's states mean to a rapporteur.
const stateWords = { speaking: t("notes.state.speaking"), done: t("notes.state.done"), waiting: t("notes.state.waiting") };

function label(e) {
  return `${e.organization} (${e.country ? countryName(e.country) : '—'}) · ${typeLabel(e.stakeholder_type)}`;
}

function render() {
  list.replaceChildren();
  const p = pending();
  const byItem = new Map();
  for (const e of entries) {
    if (!byItem.has(e.agenda_item_id)) byItem.set(e.agenda_item_id, []);
    byItem.get(e.agenda_item_id).push(e);
  }
  for (const [itemID, es] of byItem) {
    const ul = el('ul', { class: 'interventions' });
    for (const e of es) {
      const has = (p[e.speaker_id] ? p[e.speaker_id].text : e.text) ? ` · ${t("notes.noted")}` : '';
      ul.append(el('li', {},
        el('button', {
          type: 'button', class: `entry ${e.state}${e.speaker_id === selected ? ' selected' : ''}`,
          'data-id': e.speaker_id, 'aria-current': e.speaker_id === selected ? 'true' : false,
          onclick: () => select(e.speaker_id),
        }, e.state === 'speaking' ? el('strong', {}, `${t("notes.speaking_now")} `) : '', label(e), has)));
    }
    list.append(el('h3', {}, items.get(itemID) || t("notes.item", { ID: itemID })), ul);
  }
  if (entries.length === 0) list.append(el('p', { class: 'muted' }, t("notes.nobody")));
}

function select(id) {
  selected = id;
  const e = entries.find((x) => x.speaker_id === id);
  if (!e) return;
  const p = pending()[id];
  document.getElementById('editor-h').textContent = label(e);
  document.getElementById('editor-meta').textContent =
    `${items.get(e.agenda_item_id) || ''} · ${kindLabel(e.kind)} · ${stateWords[e.state] || ''}`;
  textBox.value = p ? p.text : e.text;
  // Key points arrive as {text, theme} (or, from older notes, as plain
  // strings); the page edits one theme per note and offers the themes
  // already used under the same item.
  const kps = (p ? p.key_points : e.key_points).map((k) => (typeof k === 'string' ? { text: k, theme: '' } : k));
  pointsBox.value = kps.map((k) => k.text).join('\n');
  themeBox.value = (kps.find((k) => k.theme) || { theme: '' }).theme;
  suggestThemes(e.agenda_item_id);
  form.hidden = false;
  render();
}

// suggestThemes fills the datalist with the themes of the item's notes.
function suggestThemes(itemID) {
  const seen = new Set();
  for (const e of entries) {
    if (e.agenda_item_id !== itemID) continue;
    for (const k of e.key_points || []) if (k && k.theme) seen.add(k.theme);
  }
  themeList.replaceChildren(...[...seen].map((theme) => el('option', { value: theme })));
}

function edited() {
  if (!selected) return;
  const p = pending();
  p[selected] = {
    text: textBox.value,
    key_points: pointsBox.value.split('\n').map((s) => s.trim()).filter(Boolean)
      .map((text) => ({ text, theme: themeBox.value.trim() })),
  };
  setPending(p);
  setStatus('dirty', t("notes.unsaved_changes"));
  clearTimeout(saveTimer);
  saveTimer = setTimeout(flush, 700);
}

// flush sends every unsaved note; on a network error it keeps them and
// tries again later.
async function flush() {
  clearTimeout(saveTimer);
  if (saving) { saveTimer = setTimeout(flush, 300); return; }
  const p = pending();
  const ids = Object.keys(p);
  if (ids.length === 0) { showSaved(); return; }
  saving = true;
  setStatus('saving', t("notes.saving"));
  try {
    for (const id of ids) {
      const sent = JSON.stringify(p[id]);
      try {
        const out = await api('PUT', `/api/meetings/${encodeURIComponent(slug)}/speakers/${id}/note`, p[id]);
        const e = entries.find((x) => x.speaker_id === Number(id));
        if (e) { e.text = out.text; e.key_points = out.key_points; }
      } catch (err) {
        if (!(err instanceof HTTPError) || err.status >= 500 || err.status === 429) throw err;
        if (err.status === 401 || err.status === 403) {
          setStatus('error', t("notes.session_ended"));
          return;
        }
        // A note the server refuses (e.g. too long) stays on this device
        // with the reason shown; other notes still go out.
        setStatus('error', t("notes.not_saved", { Error: err.message }));
        continue;
      }
      const now = pending();
      if (now[id] && JSON.stringify(now[id]) === sent) { delete now[id]; setPending(now); }
    }
    retryDelay = 2000;
    if (status.dataset.state !== 'error') showSaved();
    render();
  } catch {
    setStatus('offline', t("notes.offline"));
    saveTimer = setTimeout(flush, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  } finally {
    saving = false;
  }
}

let refreshTimer = 0;
async function refresh() {
  try {
    const out = await api('GET', `/api/meetings/${encodeURIComponent(slug)}/notes`);
    entries = out.notes;
  } catch {
    return; // the next live change or reconnect refreshes again
  }
  const speaking = entries.find((e) => e.state === 'speaking');
  if (follow.checked && speaking && speaking.speaker_id !== selected) select(speaking.speaker_id);
  else if (!selected && entries.length) select(entries[entries.length - 1].speaker_id);
  else render();
}
function refreshSoon() { clearTimeout(refreshTimer); refreshTimer = setTimeout(refresh, 250); }

// connect follows the live list over its websocket: any change may be a
// new speaker, so it refreshes the interventions.
function connect(delay = 1000) {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const ws = new WebSocket(`${proto}//${location.host}/ws/meetings/${encodeURIComponent(slug)}`);
  ws.onopen = () => { liveStatus.textContent = t("notes.following"); delay = 1000; refreshSoon(); flush(); };
  ws.onmessage = () => refreshSoon();
  ws.onclose = () => {
    liveStatus.textContent = t("notes.disconnected");
    setTimeout(() => connect(Math.min(delay * 2, 15000)), delay);
  };
}

async function main() {
  await login();
  await accountBar(document.querySelector('header.bar'));
  const [meeting, agenda] = await Promise.all([
    api('GET', `/api/meetings/${encodeURIComponent(slug)}`),
    api('GET', `/api/meetings/${encodeURIComponent(slug)}/agenda`),
  ]);
  document.getElementById('meeting-title').textContent = `· ${meeting.title}`;
  items = new Map(agenda.items.map((it) => [it.id, `${it.position}. ${it.title}`]));
  document.getElementById('notes-app').hidden = false;
  textBox.addEventListener('input', edited);
  pointsBox.addEventListener('input', edited);
  themeBox.addEventListener('input', edited);
  follow.addEventListener('change', refreshSoon);
  window.addEventListener('online', flush);
  await refresh();
  showSaved();
  flush();
  connect();
}

main().catch((err) => setStatus('error', err.message));
