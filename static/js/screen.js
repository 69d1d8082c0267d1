// The room's screen (/m/{slug}/screen): who speaks, from which
// organization, a large countdown that turns to a warning colour near the
// end, the next speakers (screen_next_speakers, five by default) and
// the agenda item the speaker speaks on. No login: it only
// watches.
import { Countdown, LiveConnection, currentItem, h, kindLabel, speaking, statusText, waiting } from "./livestate.js";
import { t } from "./i18n.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const $ = (id) => document.getElementById(id);
let sp = null;
const countdown = new Countdown($("countdown"), $("countdown-alert"));

const conn = new LiveConnection(slug, {
  onStatus(status) {
    $("connection").textContent = statusText(status);
    $("connection").dataset.status = status;
  },
  onState: render,
});

// shown is how many next speakers the screen lists: the server's
// screen_next_speakers setting (config.yaml), 5 until the meeting loads.
let shown = 5;
let last = null;

fetch(`/api/meetings/${encodeURIComponent(slug)}`, { headers: { Accept: "application/json" } })
  .then((r) => (r.ok ? r.json() : null))
  .then((m) => {
    if (!m) return;
    if (m.screen_next_speakers > 0) shown = m.screen_next_speakers;
    if (last) render(last);
  })
  .catch(() => {});

function render(state) {
  last = state;
  const current = currentItem(state);
  sp = speaking(state);
  // The heading names the item the speaker speaks on, so that a speaker
  // who still holds the floor on item 3 is never shown under item 4's
  // title; the queue below is the current item's, named when it differs.
  const heading = sp ? sp.item : current;
  $("item").textContent = heading ? heading.title : t("floor.no_item");
  const other = current && heading && current.id !== heading.id;
  $("next-item").hidden = !other;
  $("next-item").textContent = other ? t("screen.on_item", { Title: current.title }) : "";
  const name = sp ? sp.entry.name : "—";
  // Only touch the live region when the speaker changes, so that screen
  // readers announce each new speaker once.
  if ($("speaker-name").textContent !== name) {
    $("speaker-name").textContent = name;
    $("speaker-org").replaceChildren(...(sp ? [h("bdi", { text: sp.entry.organization }), kindMark(sp.entry.kind)] : []));
  }
  const next = waiting(current).slice(0, shown);
  $("next").style.setProperty("--n", String(Math.max(shown, 5)));
  $("next").replaceChildren(...next.map((e) =>
    h("li", { "data-kind": e.kind }, kindMark(e.kind), h("bdi", { class: "next-name", text: e.name }),
      h("bdi", { class: "next-org", text: e.organization }))));
  if (!next.length) $("next").append(h("li", { class: "empty", text: t("screen.nobody") }));
  $("closed").hidden = !(current && current.closed);
  tick();
}

// kindMark marks a point of order or a reply in words (not only colour).
function kindMark(kind) {
  return kind === "statement" ? "" : h("span", { class: `kind-mark kind-${kind}`, text: kindLabel(kind) });
}

function tick() {
  countdown.update(sp, conn.serverNow());
}

setInterval(tick, 200);
conn.start();
