// The participant's part of the live list on /r/{token}: "Request the
// floor" / "Withdraw", and their place in the queue, live. It renders into
// <section id="floor"> of the participant page.
import { Countdown, LiveConnection, currentItem, kindLabel, speaking, statusText, waiting, h } from "./livestate.js";
import { parts, t } from "./i18n.js";

const root = document.getElementById("floor");
const token = decodeURIComponent(location.pathname.split("/")[2] || "");
let conn = null;
let me = null;
let busy = false;
let countdown = null;

if (root) {
  const css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = "/static/css/live.css";
  document.head.append(css);
  root.classList.add("floor");
  start();
}

async function start() {
  let res;
  try {
    res = await fetch("/api/floor", { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" }, credentials: "omit" });
  } catch {
    setTimeout(start, 3000);
    return;
  }
  if (!res.ok) return; // not a valid participant link: the page says so
  me = await res.json();
  // The floor leads the page only for those who may take it; until the
  // secretariat approves them, their registration comes first.
  const reg = document.getElementById("registration");
  if (me.status !== "approved" && reg) reg.after(root);
  // During a session the section leads with who speaks, their time and
  // the queue; then the participant's own place and buttons; then every
  // request they have on any item, each with its own Withdraw.
  root.replaceChildren(
    h("h2", { id: "floor-title", text: t("nav.screen") }),
    h("p", { id: "floor-connection", class: "connection", role: "status", text: t("live.connecting") }),
    h("div", { class: "floor-now", "aria-live": "polite", "aria-atomic": "true" },
      h("p", { class: "floor-label", text: t("screen.now") }),
      h("p", { id: "floor-speaker", class: "floor-speaker", dir: "auto", text: t("floor.nobody") })),
    h("p", { id: "floor-timer-label", class: "visually-hidden", text: t("screen.time_left") }),
    h("p", { id: "floor-timer", class: "floor-timer", role: "timer", "aria-labelledby": "floor-timer-label", "data-phase": "idle", text: "–:––" }),
    h("p", { id: "floor-timer-alert", class: "visually-hidden", "aria-live": "assertive" }),
    h("p", { id: "floor-item", class: "floor-item", dir: "auto" }),
    h("p", { id: "floor-queue-title", class: "floor-label", text: t("floor.waiting") }),
    h("ol", { id: "floor-queue", class: "floor-queue", "aria-labelledby": "floor-queue-title" }),
    h("p", { id: "floor-position", class: "floor-position", "aria-live": "polite", "aria-atomic": "true" }),
    h("div", { id: "floor-actions", class: "actions" }),
    h("p", { id: "floor-message", class: "floor-message", role: "alert" }),
    h("h3", { id: "floor-mine-title", text: t("floor.mine_title") }),
    h("ul", { id: "floor-mine", class: "floor-mine", "aria-labelledby": "floor-mine-title" }),
  );
  countdown = new Countdown(document.getElementById("floor-timer"), document.getElementById("floor-timer-alert"));
  setInterval(() => { if (conn && conn.state) countdown.update(speaking(conn.state), conn.serverNow()); }, 200);
  if (!root.hasAttribute("aria-labelledby")) root.setAttribute("aria-labelledby", "floor-title");
  conn = new LiveConnection(me.meeting.slug, {
    token,
    onStatus(status) {
      const el = document.getElementById("floor-connection");
      el.textContent = statusText(status);
      el.dataset.status = status;
    },
    onState: render,
  });
  conn.start();
}

function mine(item) {
  return item ? item.speakers.find((e) => e.registration_id === me.registration_id && (e.state === "waiting" || e.state === "speaking")) : null;
}

function render(state) {
  const item = currentItem(state);
  const $ = (id) => document.getElementById(id);
  const sp = speaking(state);
  const speaker = !sp ? t("floor.nobody")
    : (sp.item.id !== (item && item.id) ? t("floor.speaker_on", { Name: sp.entry.name, Org: sp.entry.organization, Title: sp.item.title }) : `${sp.entry.name} (${sp.entry.organization})`);
  if ($("floor-speaker").textContent !== speaker) $("floor-speaker").textContent = speaker;
  countdown.update(sp, conn.serverNow());
  // The item's title is isolated: a Latin title in an Arabic sentence.
  $("floor-item").replaceChildren(...(item ? parts("floor.item", { Title: h("bdi", { text: item.title }) }) : [t("floor.no_item")]));
  const queue = waiting(item);
  $("floor-queue").replaceChildren(...(queue.length ? queue.map((e) => h("li", {},
    h("bdi", { text: e.name }), e.kind !== "statement" ? h("span", { class: `badge kind-${e.kind}`, text: ` ${kindLabel(e.kind)}` }) : "",
    e.registration_id === me.registration_id ? h("strong", { text: ` ${t("floor.you")}` }) : "")) : [h("li", { class: "empty", text: t("screen.nobody") })]));
  const entry = mine(item);
  const actions = $("floor-actions");
  const active = document.activeElement;
  const focused = root.contains(active) && active.id ? active.id : "";
  let position = "";
  if (me.status !== "approved") {
    position = t("floor.only_approved");
    actions.replaceChildren();
  } else if (entry && entry.state === "speaking") {
    position = t("floor.speaking");
    actions.replaceChildren();
  } else if (entry) {
    const place = waiting(item).indexOf(entry) + 1;
    position = t("floor.position", { Place: place, Kind: kindLabel(entry.kind).toLocaleLowerCase(document.documentElement.lang) });
    actions.replaceChildren(h("button", { type: "button", id: "floor-withdraw", class: "secondary", onclick: () => act("remove_speaker", { speaker_id: entry.id }) }, t("floor.withdraw")));
  } else if (item) {
    position = item.closed ? t("floor.closed") : t("floor.not_listed");
    const buttons = [];
    if (!item.closed) {
      buttons.push(h("button", { type: "button", id: "floor-request", onclick: () => act("add_speaker", { item_id: item.id, kind: "statement" }) }, t("floor.request")));
    }
    buttons.push(h("button", { type: "button", id: "floor-order", class: "secondary", onclick: () => act("add_speaker", { item_id: item.id, kind: "point_of_order" }) }, t("kind.point_of_order")));
    actions.replaceChildren(...buttons);
  }
  if ($("floor-position").textContent !== position) $("floor-position").textContent = position;
  renderMine(state);
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  else if (focused) ($("floor-request") || $("floor-withdraw") || $("floor-title")).focus?.();
  for (const b of root.querySelectorAll("#floor-actions button, #floor-mine button")) b.disabled = busy;
}

// renderMine lists the participant's requests on every agenda item, not
// only the current one: a request on item 3 stays in sight (and can be
// withdrawn) while item 4 is discussed.
function renderMine(state) {
  const rows = [];
  for (const it of state.items) {
    const list = waiting(it);
    for (const e of it.speakers) {
      if (e.registration_id !== me.registration_id || (e.state !== "waiting" && e.state !== "speaking")) continue;
      const where = e.state === "speaking" ? t("floor.mine_speaking") : t("floor.mine_place", { Place: list.indexOf(e) + 1 });
      rows.push(h("li", { "data-id": e.id },
        h("span", { dir: "auto", text: `${t("floor.mine_row", { Item: it.title, Kind: kindLabel(e.kind).toLocaleLowerCase(document.documentElement.lang), Where: where })} ` }),
        e.state === "waiting" ? h("button", { type: "button", id: `floor-mine-withdraw-${e.id}`, class: "secondary small",
          "aria-label": t("floor.mine_withdraw_label", { Item: it.title }), onclick: () => act("remove_speaker", { speaker_id: e.id }) }, t("floor.mine_withdraw")) : ""));
    }
  }
  if (!rows.length) rows.push(h("li", { class: "empty", text: t("floor.mine_none") }));
  document.getElementById("floor-mine").replaceChildren(...rows);
}

async function act(action, fields) {
  const msg = document.getElementById("floor-message");
  msg.textContent = "";
  busy = true;
  render(conn.state);
  try {
    await conn.command(action, fields);
  } catch (err) {
    msg.textContent = err.message;
  } finally {
    busy = false;
    render(conn.state);
  }
}
