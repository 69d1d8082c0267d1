// The moderator's console (/m/{slug}/console): the current item and its
// list, next/start/stop/pause/extend, drag-and-drop (and keyboard) reorder,
// adding any approved participant by name, close/reopen, the timer, the
// balance of the floor and "suggest next". Every command goes over the
// page's websocket; the page shows only what the server sends back.
import {
  Countdown, LiveConnection, clock, currentItem, h, kindLabel, speaking, statusText, waiting,
} from "./livestate.js";
import { categories, groupLabel, typeLabel } from "./vocabulary.js";
import { accountBar } from "./staff.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const $ = (id) => document.getElementById(id);
let conn = null;
let state = null;
let selected = null; // the agenda item shown; follows the current item
let lastCurrent = undefined;
let participants = []; // approved registrations for the add form
let canRun = false; // a moderator or admin runs the list; a rapporteur only watches

async function getJSON(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw Object.assign(new Error((body && body.error) || `HTTP ${res.status}`), { status: res.status });
  return body;
}

async function main() {
  fetch(`/api/meetings/${encodeURIComponent(slug)}`).then((r) => r.ok ? r.json() : null).then((m) => {
    if (m) { $("meeting-title").textContent = `· ${m.title}`; document.title = `Console · ${m.title}`; }
  });
  let me = null;
  try { me = await getJSON("/api/me"); } catch (err) { if (err.status !== 401) { say(err.message); } }
  if (!me) { showLogin(); return; }
  begin(me);
}

function showLogin() {
  $("login").hidden = false;
  $("connection").textContent = "Not logged in";
  $("login-email").focus();
  $("login").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("login-error").textContent = "";
    const res = await fetch("/api/login", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ email: $("login-email").value, password: $("login-password").value }),
    }).catch(() => null);
    const body = res ? await res.json().catch(() => null) : null;
    if (!res || !res.ok) {
      $("login-error").textContent = (body && body.error) || "The server cannot be reached.";
      return;
    }
    $("login").hidden = true;
    begin(body);
  });
}

function begin(me) {
  canRun = me.user.role === "moderator" || me.user.role === "admin";
  accountBar(document.querySelector(".console-header"));
  // The page offers only what the role may do.
  for (const n of document.querySelectorAll(".run-only")) n.hidden = !canRun;
  if (!canRun) {
    $("main").hidden = false;
    say(`You are logged in as ${me.user.role}: you can follow the list; running it needs a moderator or admin account.`);
  }
  $("main").hidden = false;
  conn = new LiveConnection(slug, {
    onStatus(status) {
      $("connection").textContent = statusText(status);
      $("connection").dataset.status = status;
    },
    onState(s) { state = s; render(); },
  });
  conn.start();
  loadParticipants();
  wire();
  setInterval(tick, 200);
}

async function loadParticipants() {
  try {
    const res = await getJSON(`/api/meetings/${encodeURIComponent(slug)}/registrations?status=approved&limit=5000`);
    participants = res.registrations || [];
    $("participants").replaceChildren(...participants.map((r) => h("option", { value: optionText(r) })));
  } catch {
    participants = [];
    $("add-hint").textContent = "The list of participants is not available; type a registration number instead.";
  }
}

function optionText(r) {
  return `${r.name} — ${(r.organization && r.organization.name) || ""} (#${r.id})`;
}

// say shows a message (an error the server gave, or a confirmation).
function say(text) { $("message").textContent = text; }

async function run(action, fields) {
  say("");
  try {
    return await conn.command(action, fields);
  } catch (err) {
    say(err.message);
    return null;
  }
}

function item() { return state ? state.items.find((i) => i.id === selected) : null; }

function render() {
  if (!state) return;
  if (state.current_item_id !== lastCurrent || !item()) {
    lastCurrent = state.current_item_id;
    const cur = currentItem(state);
    selected = cur ? cur.id : null;
  }
  // Rebuild the item menu only when it changes, so that a moderator (or
  // a screen reader) in the middle of choosing keeps their place.
  const sel = $("item-select");
  const key = JSON.stringify([selected, state.current_item_id, state.items.map((i) => [i.id, i.title])]);
  if (sel.dataset.key !== key) {
    sel.dataset.key = key;
    sel.replaceChildren(...state.items.map((i) => h("option", { value: i.id, selected: i.id === selected },
      `${i.title}${i.id === state.current_item_id ? " (current)" : ""}`)));
  }
  const it = item();
  $("set-current").disabled = !it || it.id === state.current_item_id;
  $("item-state").textContent = it ? (it.closed ? "The list is closed: only points of order are taken." : "The list is open.") : "No agenda items yet.";
  $("close-list").textContent = it && it.closed ? "Reopen the list" : "Close the list";

  const sp = speaking(state);
  const name = sp ? sp.entry.name : "Nobody";
  if ($("now-name").textContent !== name) {
    $("now-name").textContent = name;
    $("now-org").textContent = sp ? `${sp.entry.organization} · ${kindLabel(sp.entry.kind)}${sp.item.id !== selected ? ` · on “${sp.item.title}”` : ""}` : "";
  }
  $("pause").firstChild.textContent = sp && sp.item.timer && sp.item.timer.paused_at ? "Resume " : "Pause ";
  for (const id of ["pause", "stop", "extend30", "extend60"]) $(id).disabled = !sp;

  renderQueue(it);
  renderHistory(it);
  renderBalance();
  tick();
}

function renderQueue(it) {
  const list = waiting(it);
  const focusedID = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.focusKey : "";
  const rows = list.map((e, i) => {
    const li = h("li", { class: "queue-entry", draggable: canRun ? "true" : "false", "data-id": e.id },
      h("span", { class: "queue-pos", text: `${i + 1}.` }),
      h("span", { class: "queue-who" },
        h("strong", {}, h("bdi", { class: "queue-name", text: e.name })), " ",
        h("bdi", { class: "queue-org", text: e.organization })),
      h("span", { class: `badge kind-${e.kind}`, text: kindLabel(e.kind) }),
      !canRun ? null : h("span", { class: "queue-buttons" },
        h("button", { type: "button", class: "small secondary", "aria-label": `Move ${e.name} up`, "data-focus-key": `up-${e.id}`, disabled: i === 0, onclick: () => move(e.id, -1) }, "Up"),
        h("button", { type: "button", class: "small secondary", "aria-label": `Move ${e.name} down`, "data-focus-key": `down-${e.id}`, disabled: i === list.length - 1, onclick: () => move(e.id, 1) }, "Down"),
        h("button", { type: "button", class: "small", "aria-label": `Give the floor to ${e.name}`, "data-focus-key": `start-${e.id}`, onclick: () => run("start", { speaker_id: e.id }) }, "Give the floor"),
        h("button", { type: "button", class: "small danger", "aria-label": `Remove ${e.name}`, "data-focus-key": `remove-${e.id}`, onclick: () => run("remove_speaker", { speaker_id: e.id }) }, "Remove")));
    li.addEventListener("dragstart", (ev) => { ev.dataTransfer.setData("text/plain", String(e.id)); li.classList.add("dragging"); });
    li.addEventListener("dragend", () => li.classList.remove("dragging"));
    li.addEventListener("dragover", (ev) => { ev.preventDefault(); li.classList.add("drop-target"); });
    li.addEventListener("dragleave", () => li.classList.remove("drop-target"));
    li.addEventListener("drop", (ev) => {
      ev.preventDefault();
      li.classList.remove("drop-target");
      const from = Number(ev.dataTransfer.getData("text/plain"));
      if (from && from !== e.id) dropBefore(from, e.id, ev.offsetY > li.offsetHeight / 2);
    });
    return li;
  });
  if (!rows.length) rows.push(h("li", { class: "empty", text: "Nobody is waiting." }));
  $("queue").replaceChildren(...rows);
  if (focusedID) {
    const again = document.querySelector(`[data-focus-key="${focusedID}"]`);
    if (again && !again.disabled) again.focus();
  }
}

// renderHistory lists who has spoken on the item. Withdrawn and removed
// requests are not in the live state; the audit log keeps them.
function renderHistory(it) {
  const done = it ? it.speakers.filter((e) => e.state === "done") : [];
  $("history").replaceChildren(...done.map((e) => h("li", {},
    h("bdi", { text: e.name }), " (", h("bdi", { text: e.organization }), `) — spoke ${clock(e.spoken_ms)}`)));
}

function renderBalance() {
  const b = state.balance || {};
  const order = categories.map((t) => t.key); // States first, in the order of precedence
  const rank = (t) => (order.includes(t) ? order.indexOf(t) : order.length);
  const types = Object.keys(b).sort((x, y) => rank(x) - rank(y));
  const maxS = Math.max(1, ...types.map((t) => b[t].statements));
  const maxT = Math.max(1, ...types.map((t) => b[t].speaking_ms));
  $("balance").tBodies[0].replaceChildren(...types.map((t) => h("tr", {},
    h("th", { scope: "row", text: groupLabel(t) }),
    h("td", {}, h("meter", { min: 0, max: maxS, value: b[t].statements, "aria-label": `${groupLabel(t)}: statements` }), ` ${b[t].statements}`),
    h("td", {}, h("meter", { min: 0, max: maxT, value: b[t].speaking_ms, "aria-label": `${groupLabel(t)}: speaking time` }), ` ${clock(b[t].speaking_ms)}`))));
}

let countdown = null;

function tick() {
  countdown ||= new Countdown($("timer"), $("timer-alert"));
  countdown.update(state && speaking(state), conn.serverNow());
}

function reorder(ids) {
  const it = item();
  if (it) run("reorder", { item_id: it.id, ids });
}

function move(id, by) {
  const ids = waiting(item()).map((e) => e.id);
  const i = ids.indexOf(id);
  const j = i + by;
  if (i < 0 || j < 0 || j >= ids.length) return;
  [ids[i], ids[j]] = [ids[j], ids[i]];
  reorder(ids);
}

function dropBefore(from, to, after) {
  const ids = waiting(item()).map((e) => e.id).filter((x) => x !== from);
  let at = ids.indexOf(to);
  if (at < 0) return;
  if (after) at++;
  ids.splice(at, 0, from);
  reorder(ids);
}

function next() {
  const it = item();
  if (it) run("next", { item_id: it.id });
}

function pauseOrResume() {
  const sp = state && speaking(state);
  if (!sp) return;
  run(sp.item.timer && sp.item.timer.paused_at ? "resume" : "pause", { speaker_id: sp.entry.id });
}

function wire() {
  $("item-select").addEventListener("change", (ev) => { selected = Number(ev.target.value); render(); });
  $("set-current").addEventListener("click", () => { if (item()) run("set_current", { item_id: item().id }); });
  $("close-list").addEventListener("click", () => { const it = item(); if (it) run(it.closed ? "reopen" : "close", { item_id: it.id }); });
  $("next").addEventListener("click", next);
  $("pause").addEventListener("click", pauseOrResume);
  $("stop").addEventListener("click", () => { const sp = speaking(state); if (sp) run("stop", { speaker_id: sp.entry.id }); });
  $("extend30").addEventListener("click", () => { const sp = speaking(state); if (sp) run("extend", { speaker_id: sp.entry.id, seconds: 30 }); });
  $("extend60").addEventListener("click", () => { const sp = speaking(state); if (sp) run("extend", { speaker_id: sp.entry.id, seconds: 60 }); });
  $("suggest").addEventListener("click", suggest);
  $("add-form").addEventListener("submit", add);
  document.addEventListener("keydown", (ev) => {
    if (!canRun) return;
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || ev.target.isContentEditable) return;
    if (ev.key === "n" || ev.key === "N") { ev.preventDefault(); next(); }
    if (ev.key === "p" || ev.key === "P") { ev.preventDefault(); pauseOrResume(); }
  });
}

async function suggest() {
  const it = item();
  if (!it) return;
  const box = $("suggestion");
  try {
    const res = await getJSON(`/api/meetings/${encodeURIComponent(slug)}/agenda/${it.id}/suggest`);
    if (!res.speaker) { box.replaceChildren("Nobody is waiting."); return; }
    const e = res.speaker;
    box.replaceChildren(
      h("span", {}, "Suggested next: ", h("strong", { text: e.name }), ` (${e.organization}, ${typeLabel(e.stakeholder_type)}) — their group has had the least of the floor so far. `),
      h("button", { type: "button", class: "small", id: "suggest-start", onclick: () => { box.replaceChildren(); run("start", { speaker_id: e.id }); } }, `Give the floor to ${e.name}`));
  } catch (err) {
    box.replaceChildren(err.message);
  }
}

async function add(ev) {
  ev.preventDefault();
  const it = item();
  const text = $("add-who").value.trim();
  if (!it || !text) return;
  let id = 0;
  const m = text.match(/#(\d+)\)\s*$/) || text.match(/^#?(\d+)$/);
  if (m) id = Number(m[1]);
  else {
    const hits = participants.filter((r) => r.name.toLowerCase() === text.toLowerCase());
    if (hits.length === 1) id = hits[0].id;
  }
  if (!id) { say("Pick a participant from the suggestions (or type a registration number)."); return; }
  const kind = $("add-kind").value;
  const fields = { item_id: it.id, registration_id: id, kind };
  if (kind === "reply") {
    const sp = speaking(state);
    if (!sp || sp.item.id !== it.id) { say("A reply answers the speaker: nobody is speaking on this item."); return; }
    fields.reply_to = sp.entry.id;
  }
  if (await run("add_speaker", fields)) {
    $("add-who").value = "";
    $("add-who").focus();
  }
}

main();
