// The live list of speakers in the browser: one websocket per page that
// keeps an exact copy of the server's state. The first message is the full
// state; every change then comes as a patch with seq one higher. A gap in
// seq asks for the full state again ({"type":"resync"}); a dropped
// connection reconnects by itself with backoff, and the state that comes
// first on the new connection replaces whatever the page had, so after a
// reconnect the page shows exactly the server's state.
//
// Times: every message carries the server's clock (server_time); the
// offset between it and this machine's clock makes every screen count the
// same remaining time (see remainingMs).

import { t } from "./i18n.js";

const stateRank = { done: 0, speaking: 1, waiting: 2 };

// compareEntries is the display order of a list, the same as the server's
// live.CompareEntries: who has spoken (in order), the speaker, the waiting
// entries by position. (Withdrawn requests are not in the state.)
export function compareEntries(a, b) {
  const ra = stateRank[a.state], rb = stateRank[b.state];
  if (ra !== rb) return ra - rb;
  if (a.state === "done" && a.started_at && b.started_at) {
    const c = Date.parse(a.started_at) - Date.parse(b.started_at);
    if (c !== 0) return c;
  }
  if (a.state === "waiting" && a.position !== b.position) return a.position - b.position;
  return a.id - b.id;
}

// applyPatch applies one change to state (in place): agenda items added
// join the end of the agenda, the entries it carries join their item's
// list (new ones, in full) or update it (the fields that changed; a
// withdrawn one leaves it: the state holds only waiting, speaking and
// done entries), a respaced list's order sets its waiting entries'
// positions, the item headers set closed and the timer (and, after an
// edit of the item, its title and speaking time), the balance of the
// stakeholder types it names replaces theirs, a new agenda order orders
// the items and deleted items leave.
export function applyPatch(state, seq, patch) {
  state.seq = seq;
  state.current_item_id = patch.current_item_id ?? null;
  for (const it of patch.added_items || []) {
    if (!state.items.some((i) => i.id === it.id)) state.items.push(it);
  }
  for (const h of patch.items || []) {
    const it = state.items.find((i) => i.id === h.id);
    if (!it) continue;
    it.closed = h.closed; it.timer = h.timer;
    // An edit of the item sends its title and speaking time.
    if (h.title !== undefined) it.title = h.title;
    if (h.speaking_time_seconds !== undefined) it.speaking_time_seconds = h.speaking_time_seconds;
  }
  const touched = new Set();
  for (const e of patch.speakers || []) {
    const it = state.items.find((i) => i.id === e.item_id);
    if (!it) continue;
    const i = it.speakers.findIndex((x) => x.id === e.id);
    if (e.state === "withdrawn") { if (i >= 0) it.speakers.splice(i, 1); continue; }
    // A new entry comes in full; a known one as the fields that changed.
    if (i >= 0) Object.assign(it.speakers[i], e); else it.speakers.push(e);
    touched.add(it);
  }
  // A respaced list comes as its waiting order: entry i (from 0) is at
  // (i+1)·POSITION_STEP, as on the server (live.PositionStep).
  for (const o of patch.order || []) {
    const it = state.items.find((i) => i.id === o.item_id);
    if (!it) continue;
    o.ids.forEach((id, i) => {
      const e = it.speakers.find((x) => x.id === id);
      if (e) e.position = (i + 1) * POSITION_STEP;
    });
    touched.add(it);
  }
  for (const it of touched) it.speakers.sort(compareEntries);
  // The balance comes as the stakeholder types whose share changed.
  if (patch.balance) Object.assign(state.balance, patch.balance);
  // The agenda reordered: every item's id once, in the new order.
  if (patch.agenda_order) {
    const rank = new Map(patch.agenda_order.map((id, i) => [id, i]));
    state.items.sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0));
  }
  // Agenda items deleted go with their lists.
  if (patch.removed_items) {
    state.items = state.items.filter((i) => !patch.removed_items.includes(i.id));
  }
}

// POSITION_STEP is the gap between waiting entries' positions
// (live.PositionStep).
export const POSITION_STEP = 1024;

// elapsedMs and remainingMs compute a timer at the server's time now (ms
// since the epoch): elapsed = (paused_at or now) − started_at − paused_ms.
export function elapsedMs(timer, now) {
  if (!timer) return 0;
  const end = timer.paused_at ? Date.parse(timer.paused_at) : now;
  return Math.max(0, end - Date.parse(timer.started_at) - timer.paused_ms);
}

export function remainingMs(timer, now) {
  return timer.limit_seconds * 1000 - elapsedMs(timer, now);
}

// phase: "running", "warning" (inside the last warning_seconds) or "overtime".
export function phase(timer, now) {
  const r = remainingMs(timer, now);
  if (r <= 0) return "overtime";
  if (r <= timer.warning_seconds * 1000) return "warning";
  return "running";
}

// clock formats milliseconds as m:ss, counting whole seconds up (so 2:59.2
// shows 3:00 until a full second has passed); overtime shows +m:ss.
export function clock(ms) {
  const over = ms < 0;
  const s = over ? Math.floor(-ms / 1000) : Math.ceil(ms / 1000);
  const text = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  return over ? `+${text}` : text;
}

// currentItem is the item the meeting discusses: the chosen one, else the
// one someone speaks on, else the first.
export function currentItem(state) {
  if (!state || !state.items.length) return null;
  return state.items.find((i) => i.id === state.current_item_id)
    || state.items.find((i) => i.timer)
    || state.items[0];
}

// speaking returns the entry that has the floor in the meeting and its
// item, or null.
export function speaking(state) {
  for (const it of state.items) {
    const e = it.speakers.find((s) => s.state === "speaking");
    if (e) return { entry: e, item: it };
  }
  return null;
}

export function waiting(item) {
  return item ? item.speakers.filter((s) => s.state === "waiting") : [];
}

// LiveConnection keeps a page connected to a meeting's live list.
//   onState(state, you)   after every state or patch
//   onStatus(status)      "connecting", "live" or "reconnecting"
export class LiveConnection {
  constructor(slug, { token = "", onState = () => {}, onStatus = () => {} } = {}) {
    this.slug = slug;
    this.token = token;
    this.onState = onState;
    this.onStatus = onStatus;
    this.state = null;
    this.you = null;
    this.offset = 0; // server clock − local clock, in ms
    this.pending = new Map();
    this.nextID = 1;
    this.attempt = 0;
    this.stopped = false;
  }

  // serverNow is the server's clock now, in ms since the epoch.
  serverNow() { return Date.now() + this.offset; }

  start() {
    this.onStatus(this.attempt ? "reconnecting" : "connecting");
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    let url = `${proto}//${location.host}/ws/meetings/${encodeURIComponent(this.slug)}`;
    if (this.token) url += `?token=${encodeURIComponent(this.token)}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.addEventListener("message", (ev) => this.receive(ev.data));
    ws.addEventListener("close", () => this.closed(ws));
    ws.addEventListener("error", () => { /* close follows */ });
  }

  stop() {
    this.stopped = true;
    if (this.ws) this.ws.close();
  }

  closed(ws) {
    if (ws !== this.ws) return;
    for (const p of this.pending.values()) p.reject(new Error(t("live.dropped")));
    this.pending.clear();
    if (this.stopped) return;
    this.onStatus("reconnecting");
    // Backoff: 0.5 s, 1 s, 2 s … up to 10 s, with jitter so that a room
    // full of screens does not reconnect in one burst after a restart.
    const base = Math.min(10000, 500 * 2 ** this.attempt);
    this.attempt++;
    setTimeout(() => this.start(), base / 2 + Math.random() * base / 2);
  }

  receive(text) {
    let m;
    try { m = JSON.parse(text); } catch { return; }
    switch (m.type) {
      case "state":
        this.attempt = 0;
        this.state = m.data;
        this.you = m.you || null;
        this.offset = Date.parse(m.data.server_time) - Date.now();
        this.onStatus("live");
        this.onState(this.state, this.you);
        break;
      case "patch":
        if (!this.state || m.seq !== this.state.seq + 1) {
          this.send({ type: "resync" });
          return;
        }
        applyPatch(this.state, m.seq, m.data);
        this.offset = Date.parse(m.server_time) - Date.now();
        this.onState(this.state, this.you);
        break;
      case "ack":
      case "error": {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.type === "ack") p.resolve(m);
        else p.reject(Object.assign(new Error(m.message || t("live.failed")), { code: m.code }));
        break;
      }
    }
  }

  send(msg) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  // command sends {"type":"cmd", action, ...fields} and resolves with the
  // ack, or rejects with an Error whose code names the broken rule.
  command(action, fields = {}) {
    return new Promise((resolve, reject) => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        reject(new Error(t("live.not_connected")));
        return;
      }
      const id = String(this.nextID++);
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ type: "cmd", id, action, ...fields }));
    });
  }
}

// statusText says what a connection status means to people.
export function statusText(status) {
  return ["connecting", "live", "reconnecting"].includes(status) ? t("live." + status) : status;
}

// h builds an element with text only (never parsed HTML): attrs may hold
// class, text, any attribute, and on<event> listeners.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = String(v);
    else if (k === "class") node.className = v;
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, "");
    else node.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// kindLabel names an entry's kind for people.
export function kindLabel(kind) {
  return ["statement", "point_of_order", "reply"].includes(kind) ? t("kind." + kind) : kind;
}


// Countdown shows a speaker's time left in el (a role="timer" element, so
// that assistive technology treats it as a clock and does not read every
// second) and says, in alert (an aria-live region), when the speaker
// enters the warning phase and when they go over time: once each per
// speech, however often the page redraws. A paused timer shows the word
// "Paused" beside the time, not only a frame.
export class Countdown {
  constructor(el, alert) {
    this.el = el;
    this.alert = alert;
    this.said = new Set(); // "entry:phase" already announced
    this.shown = "";
  }

  // update draws sp (speaking(state), or null) at the server's time now.
  update(sp, now) {
    const tm = sp && sp.item.timer;
    let text = "–:––", ph = "idle", paused = false;
    if (tm) {
      const running = phase(tm, now);
      paused = !!tm.paused_at;
      ph = paused ? "paused" : running;
      text = clock(remainingMs(tm, now));
      if (running === "warning" || running === "overtime") this.announce(sp.entry, running, tm);
    }
    const key = `${text}|${paused}`;
    if (key !== this.shown) {
      this.shown = key;
      this.el.replaceChildren(h("span", { class: "clock", text }), paused ? h("span", { class: "paused-word", text: ` ${t("live.paused")}` }) : "");
    }
    this.el.dataset.phase = ph;
  }

  announce(entry, ph, tm) {
    const key = `${entry.id}:${ph}`;
    if (this.said.has(key) || !this.alert) return;
    this.said.add(key);
    this.alert.textContent = ph === "warning"
      ? t("live.warning_left", { Name: entry.name, Seconds: tm.warning_seconds })
      : t("live.over_time", { Name: entry.name });
  }
}
