// The secretariat console: /admin. Login, meetings and agenda, and the
// registrations of one meeting: filters, counts, decisions with a reason,
// bulk approval and CSV export; beside each registration, what its
// registrant claimed about the organization where it differs from the
// record, and a new name waiting for the secretariat. The chosen meeting is kept in the address
// (#m=slug) so that a reload comes back to it. Editing the meeting, its
// agenda and its audit log are admin-meeting.js's; staff accounts and
// "change my password" admin-staff.js's.
import {
  $, api, ApiError, badge, clearFieldErrors, el, formJSON, meetingDates, meetingTime, replace, say, setCSRF, showError, staffSession,
} from "./api.js";
import { countryNameOr, ecosocLabel, registrationStatuses, stakeholderTypes, typeLabel } from "./vocabulary.js";
import { locale, n, parts, t } from "./i18n.js";
import { loadAgenda, showMeetingEditors } from "./admin-meeting.js";
import { showStaff } from "./admin-staff.js";
import { initTracks, showTracks } from "./admin-tracks.js";

const status = $("#status");
const consoleEl = $("#console");
const loginSection = $("#login-section");
const loginForm = $("#login");
const panel = $("#meeting-panel");
const filters = $("#filters");
const regsTable = $("#regs-table");
const regsBody = $("#regs-table tbody");
const selectAll = $("#select-all");
const bulkButton = $("#bulk-approve");
const dialog = $("#decide");
const decideForm = $("#decide-form");
const decideStatus = $("#decide-status");

let isAdmin = false;     // moderators and rapporteurs read; only admins decide
let user = null;         // who is logged in
let meeting = null;      // the meeting on show
let shown = [];          // the registrations in the table
let deciding = null;     // {ids, label, returnFocus} while the dialog is open

const numbers = new Intl.NumberFormat(locale);

const slugPath = () => `/api/meetings/${encodeURIComponent(meeting.slug)}`;

for (const { key, label } of registrationStatuses) $("#f-status").append(el("option", { value: key, text: label }));
for (const { key, label } of stakeholderTypes) $("#f-type").append(el("option", { value: key, text: label }));

// ---- login ---------------------------------------------------------------

function showConsole(me) {
  setCSRF(me.csrf_token);
  isAdmin = me.user.role === "admin";
  user = me.user;
  for (const node of document.querySelectorAll(".admin-only")) node.hidden = !isAdmin;
  // The audit log is the moderators' and admins'.
  for (const node of document.querySelectorAll(".moderator-up")) node.hidden = !["admin", "moderator"].includes(me.user.role);
  replace($("#whoami"), `${me.user.email} (${t(`staff.role.${me.user.role}`)})`);
  $("#account").hidden = false;
  loginSection.hidden = true;
  consoleEl.hidden = false;
}

function showLogin() {
  setCSRF("");
  $("#account").hidden = true;
  consoleEl.hidden = true;
  loginSection.hidden = false;
}

loginForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(loginForm);
  try {
    const me = await api("POST", "/api/login", formJSON(loginForm));
    loginForm.reset();
    say(status, "");
    showConsole(me);
    await start();
    $("#console-title").focus();
  } catch (err) {
    showError(status, err.status === 401 ? new ApiError(401, t("admin.login.wrong")) : err, loginForm);
    if (err.status === 401) $("#login-password").focus();
  }
});

$("#logout").addEventListener("click", async () => {
  try { await api("POST", "/api/logout"); } catch { /* the session is gone either way */ }
  showLogin();
  say(status, t("admin.logged_out"));
  $("#login-email").focus();
});

// ---- meetings -------------------------------------------------------------

async function loadMeetings() {
  const { meetings } = await api("GET", "/api/meetings?all=1");
  replace($("#meetings-table tbody"), (meetings || []).map((m) =>
    el("tr", {},
      el("th", { scope: "row" }, m.title, el("span", { class: "cell-sub mono", text: m.slug })),
      el("td", { text: meetingDates(m) }),
      el("td", { text: meetingTime(m, m.registration_closes_at) }),
      el("td", { class: "num", text: m.capacity ? numbers.format(m.capacity) : t("admin.no_limit") }),
      el("td", {}, el("a", { class: "button small secondary", href: `#m=${encodeURIComponent(m.slug)}` },
        t("admin.open"), el("span", { class: "visually-hidden", text: ` ${m.title}` }))))));
}

// ---- processes ------------------------------------------------------------

async function loadProcesses() {
  const { processes } = await api("GET", "/api/processes");
  const list = processes || [];
  replace($("#processes"), list.length
    ? list.map((p) => el("li", {}, el("a", { href: `/p/${encodeURIComponent(p.slug)}` }, p.title), p.acronym ? ` (${p.acronym})` : "",
      " ", el("span", { class: "mono muted", text: p.slug })))
    : el("li", { class: "muted", text: t("admin.process.none") }));
  replace($("#processes-list"), list.map((p) => el("option", { value: p.slug, text: p.title })));
}

$("#create-process").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  try {
    const p = await api("POST", "/api/processes", formJSON(form));
    form.reset();
    $("#create-process-details").open = false;
    await loadProcesses();
    say(status, t("admin.process.created", { Title: p.title, Slug: p.slug }), "success");
  } catch (err) {
    showError(status, err, form);
  }
});

$("#create-meeting").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  // The times go as typed (datetime-local: no offset) with the zone: the
  // server reads them in the meeting's zone, whatever the browser's.
  const body = formJSON(form);
  try {
    const m = await api("POST", "/api/meetings", body);
    form.reset();
    $("#create-details").open = false;
    await loadMeetings();
    say(status, t("admin.meeting.created", { Title: m.title }), "success");
    location.hash = `m=${encodeURIComponent(m.slug)}`;
  } catch (err) {
    showError(status, err, form);
  }
});

function selectedSlug() {
  const m = /^#m=(.+)$/.exec(location.hash);
  return m ? decodeURIComponent(m[1]) : "";
}

async function showMeeting(slug) {
  if (!slug) { panel.hidden = true; meeting = null; return; }
  try {
    meeting = await api("GET", `/api/meetings/${encodeURIComponent(slug)}`);
  } catch (err) {
    panel.hidden = true;
    showError(status, err);
    return;
  }
  replace($("#meeting-title"), meeting.title);
  replace($("#meeting-facts"), [
    meetingDates(meeting), meeting.venue,
    t("admin.facts.closes", { Time: meetingTime(meeting, meeting.registration_closes_at) }),
    meeting.capacity ? n("admin.facts.seats", meeting.capacity) : t("admin.facts.no_seat_limit"),
    meeting.max_per_organization ? n("admin.facts.max", meeting.max_per_organization) : "",
  ].filter(Boolean).join(" · "));
  const base = `/m/${encodeURIComponent(meeting.slug)}`;
  // Each role sees the pages it may work on: a registrar the door.
  const role = user.role;
  const link = (roles, href, text) => roles.includes(role) ? el("a", { class: "button secondary small", href }, text) : null;
  const apiBase = `/api/meetings/${encodeURIComponent(meeting.slug)}`;
  replace($("#meeting-links"), [
    link(["admin", "moderator"], `${base}/console`, t("admin.link.console")),
    link(["admin", "moderator", "rapporteur"], `${base}/screen`, t("admin.link.screen")),
    link(["admin", "rapporteur"], `${base}/notes`, t("admin.link.notes")),
    link(["admin", "moderator", "rapporteur"], `${base}/summary/desk`, t("admin.link.desk")),
    link(["admin", "registrar"], `${base}/checkin`, t("admin.link.checkin")),
    link(["admin", "registrar"], `${apiBase}/badges.pdf?status=approved`, t("admin.link.badges")),
    link(["admin", "moderator", "rapporteur", "registrar"], `${apiBase}/participants.pdf`, t("admin.link.participants_pdf")),
    link(["admin", "moderator", "rapporteur", "registrar"], `${apiBase}/participants.docx`, t("admin.link.participants_docx")),
    link(["admin", "moderator", "rapporteur", "registrar"], `${base}/register`, t("admin.link.register")),
    meeting.process ? el("a", { class: "button secondary small", href: `/p/${encodeURIComponent(meeting.process)}` }, t("admin.link.process")) : null,
  ].filter(Boolean));
  filters.reset();
  showTracks(meeting, isAdmin);
  panel.hidden = false;
  await Promise.all([showMeetingEditors(meeting, isAdmin, async () => { await loadMeetings(); await showMeeting(meeting.slug); }), loadRegistrations()]);
  $("#meeting-title").focus();
}

// ---- agenda ---------------------------------------------------------------

$("#add-item").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.currentTarget;
  clearFieldErrors(form);
  try {
    const item = await api("POST", `${slugPath()}/agenda`, formJSON(form));
    form.reset();
    await loadAgenda();
    say(status, t("admin.item.added", { Title: item.title }), "success");
    $("#item-title").focus();
  } catch (err) {
    showError(status, err, form);
  }
});

// ---- registrations --------------------------------------------------------

function query() {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(formJSON(filters))) if (v) p.set(k, v);
  const s = p.toString();
  return s ? "?" + s : "";
}

// The list answers {"registrations": [...], "counts": {"by_status": {state: n},
// "by_type": {type: {"total": n, state: n}}}}, counted over the whole meeting
// whatever the filters.
function renderCounts(counts) {
  const byStatus = (counts && counts.by_status) || {};
  const byType = (counts && counts.by_type) || {};
  const states = registrationStatuses.map((st) => st.key);
  replace($("#counts-state"), registrationStatuses.map(({ key, label }) =>
    el("li", {}, label, el("b", { text: numbers.format(byStatus[key] || 0) }))));
  replace($("#counts-type tbody"), stakeholderTypes.map(({ key, label }) => {
    const c = byType[key] || {};
    return el("tr", {}, el("th", { scope: "row", text: label }),
      ["total", ...states].map((k) => el("td", { class: "num", text: numbers.format(c[k] || 0) })));
  }));
}

function decisionButtons(r) {
  if (!isAdmin) return null;
  const can = { pending: ["approve", "waitlist", "reject"], waitlisted: ["approve", "reject"] }[r.status] || [];
  return el("div", { class: "row" }, can.map((d) =>
    el("button", {
      type: "button", class: "small" + (d === "approve" ? "" : " secondary"),
      "data-decision": d, "data-id": r.id,
      onclick: (ev) => openDecision([r.id], d, `${r.name} (${r.organization?.name || ""})`, ev.currentTarget),
    }, t(`admin.decide.${d}`), el("span", { class: "visually-hidden", text: ` ${r.name}` }))));
}

// The organization's fields as the claim and the record show them.
const CLAIM_FIELDS = {
  name: ["admin.claim.name", (o) => o.name],
  acronym: ["field.acronym", (o) => o.acronym],
  type: ["admin.col.type", (o) => typeLabel(o.type)],
  country: ["field.country_short", (o) => countryNameOr(o.country, o.country_name)],
  website: ["field.website", (o) => o.website],
  ecosoc_status: ["field.ecosoc_short", (o) => ecosocLabel(o.ecosoc_status)],
};

// claimTable sets what the registrant claimed beside the organization
// record, for the fields where the two differ: a registration never
// changes the shared record, so the secretariat compares them here.
function claimTable(r) {
  const fields = (r.claim_differs || []).filter((f) => CLAIM_FIELDS[f]);
  if (!r.claim || !fields.length) return null;
  return el("table", { class: "compact claim" },
    el("caption", { text: t("admin.claim.caption") }),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col", text: t("admin.claim.field") }), el("th", { scope: "col", text: t("admin.claim.claimed") }), el("th", { scope: "col", text: t("admin.claim.record") }))),
    el("tbody", {}, fields.map((f) => {
      const [label, show] = CLAIM_FIELDS[f];
      return el("tr", { "data-field": f },
        el("th", { scope: "row", text: t(label) }),
        el("td", { class: "claimed", text: show(r.claim) || "—" }),
        el("td", { class: "record", text: show(r.organization || {}) || "—" }));
    })));
}

// nameChange shows a new name the approved participant asked for, with the
// secretariat's buttons to accept or refuse it.
function nameChange(r) {
  if (!r.pending_name) return null;
  return el("div", { class: "name-change" },
    el("span", { class: "cell-sub" }, ...parts("admin.name.asks", { Name: el("strong", { text: r.pending_name }) })),
    isAdmin ? el("div", { class: "row" },
      el("button", { type: "button", class: "small", "data-name-change": "accept", onclick: (ev) => decideName(r, true, ev.currentTarget) },
        t("admin.name.accept"), el("span", { class: "visually-hidden", text: " " + t("admin.name.of", { Name: r.name }) })),
      el("button", { type: "button", class: "small secondary", "data-name-change": "refuse", onclick: (ev) => decideName(r, false, ev.currentTarget) },
        t("admin.name.refuse"), el("span", { class: "visually-hidden", text: " " + t("admin.name.of", { Name: r.name }) }))) : null);
}

async function decideName(r, accept, button) {
  button.disabled = true;
  try {
    // The name reviewed goes along: if the participant has asked for
    // another since, the server refuses and the list shows the new one.
    await api("POST", `/api/registrations/${r.id}/name-change`, { accept, name: r.pending_name });
    await loadRegistrations();
    say(status, t(accept ? "admin.name.accepted" : "admin.name.refused", { Name: r.name, New: r.pending_name }), "success");
  } catch (err) {
    showError(status, err);
    await loadRegistrations().catch(() => {});
  }
  regsBody.querySelector(`tr[data-id="${r.id}"] th`)?.focus();
}

function row(r) {
  const org = r.organization || {};
  // An erased registration keeps its organization and state, not its name.
  const name = r.anonymized_at ? t("admin.erased", { Id: r.id }) : r.name;
  return el("tr", { "data-id": r.id },
    el("td", { class: "pick" }, isAdmin ? el("input", {
      type: "checkbox", value: r.id, "aria-label": t("admin.select", { Name: name }), onchange: updateSelection,
    }) : null),
    el("th", { scope: "row", tabindex: "-1" }, name,
      el("span", { class: "cell-sub", text: r.email }),
      r.job_title ? el("span", { class: "cell-sub", text: r.job_title }) : null,
      nameChange(r)),
    el("td", {}, org.acronym ? `${org.name} (${org.acronym})` : org.name,
      el("span", { class: "cell-sub", text: [countryNameOr(org.country, org.country_name), org.website].filter(Boolean).join(" · ") }),
      claimTable(r)),
    el("td", {}, typeLabel(org.type), trackNote(r)),
    el("td", {}, badge(r.status), r.reason ? el("span", { class: "cell-sub", text: r.reason }) : null,
      r.checked_in_at ? el("span", { class: "cell-sub", text: t("admin.checked_in", { Time: meetingTime(meeting, r.checked_in_at) }) }) : null),
    el("td", {}, decisionButtons(r)));
}

// trackNote says which accreditation track a registration is on.
function trackNote(r) {
  const text = {
    ecosoc: t("admin.track.ecosoc_status", { Status: ecosocLabel(r.ecosoc_verified_status) }),
    non_objection: t("admin.track.non_objection"),
    delegation: t("admin.track.delegation"),
  }[r.track];
  return el("span", { class: "cell-sub track" }, text || "",
    r.claim_unverified ? el("strong", { class: "claim-unverified", text: " · " + t("admin.claim_unverified") }) : null);
}

let listSeq = 0; // only the latest list request may draw the table

async function loadRegistrations() {
  const q = query();
  const seq = ++listSeq;
  $("#csv").href = `${slugPath()}/registrations.csv${q}`;
  // Busy until the latest request has drawn the table: screen readers wait
  // for it, and so can tests.
  regsTable.setAttribute("aria-busy", "true");
  let data;
  try {
    data = await api("GET", `${slugPath()}/registrations${q}`);
  } finally {
    if (seq === listSeq) regsTable.setAttribute("aria-busy", "false");
  }
  if (seq !== listSeq) return;
  shown = data.registrations || [];
  renderCounts(data.counts);
  const total = data.total ?? shown.length;
  replace($("#regs-caption"), n("admin.regs.caption", total, { Shown: numbers.format(shown.length) }));
  replace(regsBody, shown.length ? shown.map(row)
    : el("tr", {}, el("td", { colspan: "6", text: t("admin.regs.none") })));
  selectAll.checked = false;
  updateSelection();
}

initTracks({
  reload: loadRegistrations,
  selectedOrganizations: () => {
    const ids = new Set(selectedIds());
    return shown.filter((r) => ids.has(r.id)).map((r) => r.organization.id);
  },
});

function selectedIds() {
  return [...regsBody.querySelectorAll("td.pick input:checked")].map((i) => Number(i.value));
}

function updateSelection() {
  const count = selectedIds().length;
  bulkButton.disabled = count === 0;
  replace($("#selected-count"), count ? n("admin.selected", count) : "");
}

selectAll.addEventListener("change", () => {
  for (const i of regsBody.querySelectorAll("td.pick input")) i.checked = selectAll.checked;
  updateSelection();
});

filters.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  try {
    await loadRegistrations();
    say(status, n("admin.regs.shown", shown.length));
  } catch (err) {
    showError(status, err);
  }
});
for (const id of ["#f-status", "#f-type", "#f-name-change"]) $(id).addEventListener("change", () => filters.requestSubmit());

bulkButton.addEventListener("click", () => {
  const ids = selectedIds();
  openDecision(ids, "approve", n("admin.regs.selected", ids.length), bulkButton);
});

// ---- decisions ------------------------------------------------------------

function openDecision(ids, decision, label, returnFocus) {
  deciding = { ids, label, returnFocus };
  decideForm.reset();
  clearFieldErrors(decideForm);
  say(decideStatus, "");
  replace($("#decide-title"), t(ids.length > 1 ? "admin.decide.several" : "admin.decide.one"));
  replace($("#decide-who"), label);
  decideForm.querySelector(`input[name=decision][value=${decision}]`).checked = true;
  // Only approval is done in bulk.
  for (const r of decideForm.querySelectorAll("input[name=decision]")) r.disabled = ids.length > 1 && r.value !== "approve";
  dialog.showModal();
  $("#d-reason").focus();
}

function closeDecision() {
  const back = deciding;
  deciding = null;
  dialog.close();
  return back;
}

$("#decide-cancel").addEventListener("click", () => {
  const back = closeDecision();
  back?.returnFocus?.focus();
});
dialog.addEventListener("cancel", () => { const back = deciding; deciding = null; back?.returnFocus?.focus(); });

decideForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (!deciding) return;
  const { decision: choice, reason } = formJSON(decideForm);
  const { ids, label } = deciding;
  let failed = [];
  try {
    if (ids.length === 1) {
      await api("POST", `/api/registrations/${ids[0]}/decision`, { decision: choice, reason });
    } else {
      const out = await api("POST", `${slugPath()}/registrations/decisions`, { ids, decision: choice, reason });
      failed = ((out && (out.results || out)) || []).filter((r) => r && r.ok === false);
    }
  } catch (err) {
    showError(decideStatus, err, decideForm);
    return;
  }
  closeDecision();
  try {
    await loadRegistrations();
  } catch (err) {
    showError(status, err);
    return;
  }
  if (failed.length) {
    const name = (id) => shown.find((r) => r.id === id)?.name || `#${id}`;
    say(status, el("div", {},
      el("p", { text: t(`admin.decided.partial.${choice}`, { Label: label, Done: ids.length - failed.length, Refused: failed.length }) }),
      el("ul", {}, failed.map((f) => el("li", { text: t("admin.decided.refused_line", { Name: name(f.id), Error: f.error }) })))), "warning");
  } else {
    say(status, t(`admin.decided.${choice}`, { Label: label }), "success");
  }
  // Focus goes back to the row decided on (or the table after a bulk action).
  const cell = ids.length === 1 ? regsBody.querySelector(`tr[data-id="${ids[0]}"] th`) : null;
  (cell || $("#regs-caption")).focus();
});

// ---- start ----------------------------------------------------------------

async function start() {
  try {
    await Promise.all([loadMeetings(), loadProcesses(), showStaff(user)]);
    await showMeeting(selectedSlug());
  } catch (err) {
    showError(status, err);
  }
}

// The language switch keeps the meeting on show (#m=slug), which the
// server that wrote its links never sees.
function switchKeepsMeeting() {
  for (const a of document.querySelectorAll(".lang-switch a")) a.hash = location.hash;
}
switchKeepsMeeting();

window.addEventListener("hashchange", () => {
  switchKeepsMeeting();
  if (!consoleEl.hidden) showMeeting(selectedSlug()).catch((err) => showError(status, err));
});

(async () => {
  try {
    const me = await staffSession();
    if (!me) { showLogin(); return; }
    showConsole(me);
    await start();
  } catch (err) {
    showError(status, err);
  }
})();
