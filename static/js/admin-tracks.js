// The accreditation tracks of the secretariat console: tabs that keep the
// registrations of one track (ECOSOC, non-objection, delegations), and on
// the non-objection tab the notices: circulating the selected
// registrations' organizations to the invited missions, each notice's
// countdown to its deadline, and the objections (the secretariat's
// alone to read).
import { $, api, badge, clearFieldErrors, el, meetingTime, replace, say, showError, upload, zoneName } from "./api.js";
import { typeLabel } from "./vocabulary.js";

const tabs = [...document.querySelectorAll("#track-tabs [role=tab]")];
const section = $("#notices-section");
const status = $("#status");
const HINTS = {
  "": "",
  ecosoc: "Organizations in consultative status with ECOSOC (on the imported list): the secretariat accredits them once their status is verified.",
  non_objection: "Organizations not on the ECOSOC list: select their registrations and circulate them to the Member States; at the deadline those without objection are approved and the others rejected.",
  delegation: "Members of States' delegations, registered by their missions' focal points and accredited at once.",
};

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
  replace($("#notice-deadline-hint"), `In ${zoneName(m)}, the meeting's time.`);
  select(tabs[0]);
}

function select(tab) {
  for (const t of tabs) {
    t.setAttribute("aria-selected", String(t === tab));
    t.tabIndex = t === tab ? 0 : -1;
  }
  $("#f-track").value = tab.dataset.track;
  replace($("#track-hint"), HINTS[tab.dataset.track] || "");
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
    say(status, "Choose the CSV file of the list first.", "warning");
    return;
  }
  try {
    const r = await upload("/api/ecosoc/import", new FormData(form));
    form.reset();
    replace($("#ecosoc-report"),
      el("p", {}, `${r.matched} matched, ${r.new} new, ${r.removed} no longer listed, ${r.ambiguous.length} left to you.`),
      r.ambiguous.length ? el("ul", { class: "ambiguous" }, ...r.ambiguous.map((a) => el("li", {},
        el("strong", { text: a.name }), `: ${a.why}`,
        a.candidates.length ? ` (records: ${a.candidates.map((c) => c.name).join("; ")})` : ""))) : "");
    say(status, "The ECOSOC list is imported.", "success");
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

// left says how long until deadline: "2 days 3 hours left".
export function left(deadline) {
  let s = Math.floor((new Date(deadline) - Date.now()) / 1000);
  if (s <= 0) return "deadline passed";
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60);
  const plural = (n, w) => `${n} ${w}${n === 1 ? "" : "s"}`;
  if (d > 0) return `${plural(d, "day")} ${plural(h, "hour")} left`;
  if (h > 0) return `${plural(h, "hour")} ${plural(m, "minute")} left`;
  return m > 0 ? `${plural(m, "minute")} left` : "less than a minute left";
}

function notice(n) {
  const c = n.counts || {};
  const open = n.state === "open";
  return el("article", { class: "notice-item", id: `staff-notice-${n.id}` },
    el("h5", {}, `Notice ${n.id} `, badge(n.state)),
    el("p", {}, open ? "Objections until " : "Deadline was ", meetingTime(meeting, n.deadline),
      open ? el("span", { class: "countdown", "data-deadline": n.deadline, text: ` (${left(n.deadline)})` }) : "",
      ` · sent to ${n.missions} ${n.missions === 1 ? "mission" : "missions"}`,
      ` · ${c.organizations} ${c.organizations === 1 ? "organization" : "organizations"}, ${c.objections} ${c.objections === 1 ? "objection" : "objections"}`,
      open ? "" : ` · ${c.approved} approved, ${c.rejected} rejected`),
    el("ul", { class: "notice-orgs" }, ...n.organizations.map((o) => el("li", { class: "notice-org", "data-org": String(o.id) },
      el("strong", { text: o.name }), ` · ${typeLabel(o.type)}`, o.country_name ? ` · ${o.country_name}` : "",
      ` · ${o.objections} ${o.objections === 1 ? "objection" : "objections"}`,
      o.outcome ? [" · ", badge(o.outcome)] : ""))),
    n.objections.length ? el("ul", { class: "objections" }, ...n.objections.map((x) => el("li", {},
      el("strong", { text: x.state }), ` objected to ${x.organization}: `, el("q", { text: x.reason })))) : "",
  );
}

export async function loadNotices() {
  const d = await api("GET", `/api/meetings/${encodeURIComponent(meeting.slug)}/non-objection`);
  replace($("#notice-list"), d.notices.length ? d.notices.map(notice) : el("p", { class: "hint", text: "No notice yet." }));
}

async function circulate(ev) {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  const ids = [...new Set(opts.selectedOrganizations())];
  if (!ids.length) {
    say(status, "Select the registrations whose organizations to circulate first.", "warning");
    return;
  }
  try {
    const n = await api("POST", `/api/meetings/${encodeURIComponent(meeting.slug)}/non-objection`,
      { organization_ids: ids, deadline: form.deadline.value });
    form.reset();
    await loadNotices();
    say(status, `Notice ${n.id} circulated to ${n.missions} missions: ${n.organizations.map((o) => o.name).join(", ")}.`, "success");
  } catch (err) {
    showError(status, err, form);
  }
}

setInterval(() => {
  for (const c of document.querySelectorAll("#notice-list .countdown")) c.textContent = ` (${left(c.dataset.deadline)})`;
}, 30000);
