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
import { locale, parts, t } from "./i18n.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const $ = (id) => document.getElementById(id);
let conn = null;
let state = null;
let selected = null; // the agenda item shown; follows the current item
let lastCurrent = undefined;
let participants = []; // approved registrations for the add form
let canRun = false; // a moderator or admin runs the list; a rapporteur only watches
const numbers = new Intl.NumberFormat(locale);

async function getJSON(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw Object.assign(new Error((body && body.error) || `HTTP ${res.status}`), { status: res.status });
  return body;
}

async function main() {
  for (const button of [$("extend30"), $("extend60")]) button.textContent = extension(Number(button.dataset.seconds));
  fetch(`/api/meetings/${encodeURIComponent(slug)}`).then((r) => r.ok ? r.json() : null).then((m) => {
    if (m) { $("meeting-title").textContent = `· ${m.title}`; document.title = t("console.doc_title", { Title: m.title }); }
  });
  let me = null;
  try { me = await getJSON("/api/me"); } catch (err) { if (err.status !== 401) { say(err.message); } }
  if (!me) { showLogin(); return; }
  begin(me);
}

function showLogin() {
  $("login").hidden = false;
  $("connection").textContent = t("console.not_logged_in");
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
      $("login-error").textContent = (body && body.error) || t("error.unreachable");
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
    say(t("console.watch_only", { Role: t(`staff.role.${me.user.role}`) }));
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
    $("add-hint").textContent = t("console.participants_unavailable");
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
      i.id === state.current_item_id ? t("console.current_item", { Title: i.title }) : i.title)));
  }
  const it = item();
  $("set-current").disabled = !it || it.id === state.current_item_id;
  $("item-state").textContent = it ? t(it.closed ? "floor.closed" : "console.list_open") : t("floor.no_item");
  $("close-list").textContent = t(it && it.closed ? "console.reopen_list" : "console.close_list");

  const sp = speaking(state);
  const name = sp ? sp.entry.name : t("floor.nobody");
  if ($("now-name").textContent !== name) {
    $("now-name").textContent = name;
    $("now-org").textContent = sp ? [sp.entry.organization, kindLabel(sp.entry.kind),
      sp.item.id !== selected ? t("console.on_item", { Title: sp.item.title }) : null].filter(Boolean).join(" · ") : "";
  }
  $("pause").firstChild.textContent = `${t(sp && sp.item.timer && sp.item.timer.paused_at ? "console.resume" : "console.pause")} `;
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
        h("button", { type: "button", class: "small secondary", "aria-label": t("console.move_up", { Name: e.name }), "data-focus-key": `up-${e.id}`, disabled: i === 0, onclick: () => move(e.id, -1) }, t("console.up")),
        h("button", { type: "button", class: "small secondary", "aria-label": t("console.move_down", { Name: e.name }), "data-focus-key": `down-${e.id}`, disabled: i === list.length - 1, onclick: () => move(e.id, 1) }, t("console.down")),
        h("button", { type: "button", class: "small", "aria-label": t("console.give_floor_to", { Name: e.name }), "data-focus-key": `start-${e.id}`, onclick: () => run("start", { speaker_id: e.id }) }, t("console.give_floor")),
        h("button", { type: "button", class: "small danger", "aria-label": t("console.remove_name", { Name: e.name }), "data-focus-key": `remove-${e.id}`, onclick: () => run("remove_speaker", { speaker_id: e.id }) }, t("console.remove"))));
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
  if (!rows.length) rows.push(h("li", { class: "empty", text: t("screen.nobody") }));
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
    ...parts("console.spoke", { Name: h("bdi", { text: e.name }), Org: h("bdi", { text: e.organization }), Time: clock(e.spoken_ms) }))));
}

function renderBalance() {
  const b = state.balance || {};
  const order = categories.map((c) => c.key); // States first, in the order of precedence
  const rank = (type) => (order.includes(type) ? order.indexOf(type) : order.length);
  const types = Object.keys(b).sort((x, y) => rank(x) - rank(y));
  const maxS = Math.max(1, ...types.map((type) => b[type].statements));
  const maxT = Math.max(1, ...types.map((type) => b[type].speaking_ms));
  $("balance").tBodies[0].replaceChildren(...types.map((type) => h("tr", {},
    h("th", { scope: "row", text: groupLabel(type) }),
    h("td", {}, h("meter", { min: 0, max: maxS, value: b[type].statements, "aria-label": t("console.meter_statements", { Group: groupLabel(type) }) }), ` ${numbers.format(b[type].statements)}`),
    h("td", {}, h("meter", { min: 0, max: maxT, value: b[type].speaking_ms, "aria-label": t("console.meter_time", { Group: groupLabel(type) }) }), ` ${clock(b[type].speaking_ms)}`))));
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

// extension writes "+30 s", "+1 min" as the page's language abbreviates
// its units (Intl knows them; a catalogue would repeat them).
function extension(seconds) {
  const unit = seconds % 60 === 0 ? { unit: "minute", value: seconds / 60 } : { unit: "second", value: seconds };
  return new Intl.NumberFormat(locale, { style: "unit", unit: unit.unit, unitDisplay: "short", signDisplay: "always" }).format(unit.value);
}

function wire() {
  $("item-select").addEventListener("change", (ev) => { selected = Number(ev.target.value); render(); });
  $("set-current").addEventListener("click", () => { if (item()) run("set_current", { item_id: item().id }); });
  $("close-list").addEventListener("click", () => { const it = item(); if (it) run(it.closed ? "reopen" : "close", { item_id: it.id }); });
  $("next").addEventListener("click", next);
  $("pause").addEventListener("click", pauseOrResume);
  $("stop").addEventListener("click", () => { const sp = speaking(state); if (sp) run("stop", { speaker_id: sp.entry.id }); });
  for (const button of [$("extend30"), $("extend60")]) {
    const seconds = Number(button.dataset.seconds);
    button.addEventListener("click", () => { const sp = speaking(state); if (sp) run("extend", { speaker_id: sp.entry.id, seconds }); });
  }
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
    if (!res.speaker) { box.replaceChildren(t("screen.nobody")); return; }
    const e = res.speaker;
    box.replaceChildren(
      h("span", {}, ...parts("console.suggested", { Name: h("strong", { text: e.name }), Org: e.organization, Type: typeLabel(e.stakeholder_type) }), " "),
      h("button", { type: "button", class: "small", id: "suggest-start", onclick: () => { box.replaceChildren(); run("start", { speaker_id: e.id }); } }, t("console.give_floor_to", { Name: e.name })));
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
  if (!id) { say(t("console.pick_participant")); return; }
  const kind = $("add-kind").value;
  const fields = { item_id: it.id, registration_id: id, kind };
  if (kind === "reply") {
    const sp = speaking(state);
    if (!sp || sp.item.id !== it.id) { say(t("console.reply_nobody")); return; }
    fields.reply_to = sp.entry.id;
  }
  if (await run("add_speaker", fields)) {
    $("add-who").value = "";
    $("add-who").focus();
  }
}

main();
