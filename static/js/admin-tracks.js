// The accreditation tracks of the secretariat console: tabs that keep the
// registrations of one track (ECOSOC, non-objection, delegations), and on
// the non-objection tab the notices: circulating the selected
// registrations' organizations to the invited missions, each notice's
// countdown to its deadline, and the objections (the secretariat's
// alone to read).
import { $, api, badge, clearFieldErrors, el, meetingTime, replace, say, showError, upload, zoneName } from "./api.js";
import { countryNameOr, typeLabel } from "./vocabulary.js";
import { locale, n, parts, t } from "./i18n.js";

const tabs = [...document.querySelectorAll("#track-tabs [role=tab]")];
const section = $("#notices-section");
const status = $("#status");
const hinted = new Set(["ecosoc", "non_objection", "delegation"]); // admin.track.hint.*

let meeting = null;
let isAdmin = false;
let opts = {};

// initTracks wires the tabs: reload() draws the list for the chosen track
// (the filters form carries it), selectedOrganizations() the organization
// ids of the selected registrations.
export function initTracks(o) {
  opts = o;
  for (const tab of tabs) {
    tab.addEventListener("click", () => choose(tab));
    tab.addEventListener("keydown", (ev) => {
      const i = tabs.indexOf(tab);
      const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[ev.key];
      if (next === undefined) return;
      ev.preventDefault();
      const t = tabs[(next + tabs.length) % tabs.length];
      t.focus();
      choose(t);
    });
  }
  $("#notice-form").addEventListener("submit", circulate);
  $("#ecosoc-form").addEventListener("submit", importList);
}

// showTracks is called for each meeting shown: the "All" tab.
export function showTracks(m, admin) {
  meeting = m;
  isAdmin = admin;
  replace($("#notice-deadline-hint"), t("admin.notice.deadline_hint", { Zone: zoneName(m) }));
  select(tabs[0]);
}

function select(tab) {
  for (const t of tabs) {
    t.setAttribute("aria-selected", String(t === tab));
    t.tabIndex = t === tab ? 0 : -1;
  }
  $("#f-track").value = tab.dataset.track;
  replace($("#track-hint"), hinted.has(tab.dataset.track) ? t(`admin.track.hint.${tab.dataset.track}`) : "");
  section.hidden = !(isAdmin && tab.dataset.track === "non_objection");
  $("#ecosoc-section").hidden = !(isAdmin && tab.dataset.track === "ecosoc");
}

// importList sends the chosen CSV file and shows the report: what was
// matched and created, and the names left to the secretariat.
async function importList(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  if (!form.file.files.length) {
    say(status, t("admin.ecosoc.choose"), "warning");
    return;
  }
  try {
    const r = await upload("/api/ecosoc/import", new FormData(form));
    form.reset();
    replace($("#ecosoc-report"),
      el("p", {}, t("admin.ecosoc.report", { Matched: r.matched, New: r.new, Removed: r.removed, Left: r.ambiguous.length })),
      r.ambiguous.length ? el("ul", { class: "ambiguous" }, ...r.ambiguous.map((a) => el("li", {},
        el("strong", { text: a.name }), `: ${a.why}`,
        a.candidates.length ? " " + t("admin.ecosoc.records", { Names: a.candidates.map((c) => c.name).join("; ") }) : ""))) : "");
    say(status, t("admin.ecosoc.imported"), "success");
    await opts.reload();
  } catch (err) {
    showError(status, err, form);
  }
}

async function choose(tab) {
  select(tab);
  try {
    await opts.reload();
    if (!section.hidden) await loadNotices();
  } catch (err) {
    showError(status, err);
  }
}

// left says how long until deadline, the units as the browser writes
// them in the page's language (Intl), as the focal point's page does:
// "2 days, 3 hours left".
const unit = (u) => new Intl.NumberFormat(locale, { style: "unit", unit: u, unitDisplay: "long" });
const units = new Intl.ListFormat(locale, { style: "long", type: "unit" });
function left(deadline) {
  let s = Math.floor((new Date(deadline) - Date.now()) / 1000);
  if (s <= 0) return t("notice.deadline_passed");
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.max(1, Math.floor(s / 60));
  const shown = d > 0 ? [unit("day").format(d), unit("hour").format(h)]
    : h > 0 ? [unit("hour").format(h), unit("minute").format(m)] : [unit("minute").format(m)];
  return t("notice.left", { Time: units.format(shown) });
}

function notice(nt) {
  const c = nt.counts || {};
  const open = nt.state === "open";
  return el("article", { class: "notice-item", id: `staff-notice-${nt.id}` },
    el("h5", {}, t("notice.heading", { Id: nt.id }), " ", badge(nt.state)),
    el("p", {}, t(open ? "notice.until" : "admin.notice.deadline_was"), " ", meetingTime(meeting, nt.deadline),
      open ? el("span", { class: "countdown", "data-deadline": nt.deadline, text: ` (${left(nt.deadline)})` }) : "",
      " · " + n("admin.notice.missions", nt.missions),
      " · " + n("notice.orgs", c.organizations) + ", " + n("admin.notice.objections", c.objections),
      open ? "" : " · " + t("admin.notice.outcome", { Approved: c.approved, Rejected: c.rejected })),
    el("ul", { class: "notice-orgs" }, ...nt.organizations.map((o) => el("li", { class: "notice-org", "data-org": String(o.id) },
      el("strong", { text: o.name }), ` · ${typeLabel(o.type)}`, o.country || o.country_name ? ` · ${countryNameOr(o.country, o.country_name)}` : "",
      " · " + n("admin.notice.objections", o.objections),
      o.outcome ? [" · ", badge(o.outcome)] : ""))),
    nt.objections.length ? el("ul", { class: "objections" }, ...nt.objections.map((x) => el("li", {},
      ...parts("admin.notice.objected", { State: el("strong", { text: countryNameOr(x.country, x.state) }), Organization: x.organization }), " ", el("q", { text: x.reason })))) : "",
  );
}

let noticesSeq = 0; // only the latest request may draw the notices

export async function loadNotices() {
  const seq = ++noticesSeq;
  const d = await api("GET", `/api/meetings/${encodeURIComponent(meeting.slug)}/non-objection`);
  // Choosing the tab and circulating both ask: an earlier answer arriving
  // last would hide the notice just circulated.
  if (seq !== noticesSeq) return;
  replace($("#notice-list"), d.notices.length ? d.notices.map(notice) : el("p", { class: "hint", text: t("admin.notice.none") }));
}

async function circulate(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  const ids = [...new Set(opts.selectedOrganizations())];
  if (!ids.length) {
    say(status, t("admin.notice.select_first"), "warning");
    return;
  }
  try {
    const nt = await api("POST", `/api/meetings/${encodeURIComponent(meeting.slug)}/non-objection`,
      { organization_ids: ids, deadline: form.deadline.value });
    form.reset();
    await loadNotices();
    say(status, n("admin.notice.circulated", nt.missions, { Id: nt.id, Names: nt.organizations.map((o) => o.name).join(", ") }), "success");
  } catch (err) {
    showError(status, err, form);
  }
}

setInterval(() => {
  for (const c of document.querySelectorAll("#notice-list .countdown")) c.textContent = ` (${left(c.dataset.deadline)})`;
}, 30000);
