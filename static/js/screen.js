// The room's screen (/m/{slug}/screen): who speaks, from which
// organization, a large countdown that turns to a warning colour near the
// end, the next five speakers and the agenda item. No login: it only
// watches.
import { LiveConnection, clock, currentItem, phase, remainingMs, speaking, statusText, waiting, h } from "./livestate.js";
import { t } from "./i18n.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const $ = (id) => document.getElementById(id);
let timer = null;

const conn = new LiveConnection(slug, {
  onStatus(status) {
    $("connection").textContent = statusText(status);
    $("connection").dataset.status = status;
  },
  onState: render,
});

function render(state) {
  const item = currentItem(state);
  $("item").textContent = item ? item.title : t("floor.no_item");
  const sp = speaking(state);
  const name = sp ? sp.entry.name : "—";
  // Only touch the live region when the speaker changes, so that screen
  // readers announce each new speaker once.
  if ($("speaker-name").textContent !== name) {
    $("speaker-name").textContent = name;
    $("speaker-org").textContent = sp ? sp.entry.organization : "";
  }
  timer = sp ? sp.item.timer : null;
  const next = waiting(item).slice(0, 5);
  $("next").replaceChildren(...next.map((e) =>
    h("li", {}, h("bdi", { class: "next-name", text: e.name }), " ", h("bdi", { class: "next-org", text: e.organization }))));
  if (!next.length) $("next").append(h("li", { class: "empty", text: t("screen.nobody") }));
  $("closed").hidden = !(item && item.closed);
  tick();
}

function tick() {
  const el = $("countdown");
  if (!timer) {
    el.textContent = "–:––";
    el.dataset.phase = "idle";
    return;
  }
  const now = conn.serverNow();
  el.textContent = clock(remainingMs(timer, now));
  el.dataset.phase = timer.paused_at ? "paused" : phase(timer, now);
}

setInterval(tick, 200);
conn.start();
