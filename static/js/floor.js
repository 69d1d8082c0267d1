// The participant's part of the live list on /r/{token}: "Request the
// floor" / "Withdraw", and their place in the queue, live. It renders into
// <section id="floor"> of the participant page.
import { LiveConnection, currentItem, kindLabel, statusText, waiting, h } from "./livestate.js";
import { parts, t } from "./i18n.js";

const root = document.getElementById("floor");
const token = decodeURIComponent(location.pathname.split("/")[2] || "");
let conn = null;
let me = null;
let busy = false;

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
  root.replaceChildren(
    h("h2", { id: "floor-title", text: t("nav.screen") }),
    h("p", { id: "floor-connection", class: "connection", role: "status", text: t("live.connecting") }),
    h("p", { id: "floor-item", class: "floor-item", dir: "auto" }),
    h("p", { id: "floor-position", class: "floor-position", "aria-live": "polite", "aria-atomic": "true" }),
    h("div", { id: "floor-actions", class: "actions" }),
    h("p", { id: "floor-message", class: "floor-message", role: "alert" }),
  );
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
  // The item's title is isolated: a Latin title in an Arabic sentence.
  $("floor-item").replaceChildren(...(item ? parts("floor.item", { Title: h("bdi", { text: item.title }) }) : [t("floor.no_item")]));
  const entry = mine(item);
  const actions = $("floor-actions");
  const focused = actions.contains(document.activeElement) ? document.activeElement.id : "";
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
  if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  else if (focused) ($("floor-request") || $("floor-withdraw") || $("floor-title")).focus?.();
  for (const b of actions.querySelectorAll("button")) b.disabled = busy;
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
