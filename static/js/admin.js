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
import { countryName, ecosocLabel, registrationStatuses, stakeholderTypes, typeLabel } from "./vocabulary.js";
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

const slugPath = () => `/api/meetings/${encodeURIComponent(meeting.slug)}`;

for (const { key, label } of registrationStatuses) $("#f-status").append(el("option", { value: key, text: label }));
for (const { key, label } of stakeholderTypes) $("#f-type").append(el("option", { value: key, text: label }));

// ---- login ---------------------------------------------------------------

function showConsole(me) {
  setCSRF(me.csrf_token);
  isAdmin = me.user.role === "admin";
  user = me.user;
  for (const n of document.querySelectorAll(".admin-only")) n.hidden = !isAdmin;
  // The audit log is the moderators' and admins'.
  for (const n of document.querySelectorAll(".moderator-up")) n.hidden = !["admin", "moderator"].includes(me.user.role);
  replace($("#whoami"), `${me.user.email} (${me.user.role})`);
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
    showError(status, err.status === 401 ? new ApiError(401, "Wrong email or password.") : err, loginForm);
    if (err.status === 401) $("#login-password").focus();
  }
});

$("#logout").addEventListener("click", async () => {
  try { await api("POST", "/api/logout"); } catch { /* the session is gone either way */ }
  showLogin();
  say(status, "You are logged out.");
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
      el("td", { class: "num", text: m.capacity ? String(m.capacity) : "no limit" }),
      el("td", {}, el("a", { class: "button small secondary", href: `#m=${encodeURIComponent(m.slug)}` },
        "Open", el("span", { class: "visually-hidden", text: ` ${m.title}` }))))));
}

// ---- processes ------------------------------------------------------------

async function loadProcesses() {
  const { processes } = await api("GET", "/api/processes");
  const list = processes || [];
  replace($("#processes"), list.length
    ? list.map((p) => el("li", {}, el("a", { href: `/p/${encodeURIComponent(p.slug)}` }, p.title), p.acronym ? ` (${p.acronym})` : "",
      " ", el("span", { class: "mono muted", text: p.slug })))
    : el("li", { class: "muted", text: "No process yet." }));
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
    say(status, `Process “${p.title}” created: give its meetings the process ${p.slug}.`, "success");
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
    say(status, `Meeting “${m.title}” created.`, "success");
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
    `registration closes ${meetingTime(meeting, meeting.registration_closes_at)}`,
    meeting.capacity ? `${meeting.capacity} seats` : "no seat limit",
    meeting.max_per_organization ? `at most ${meeting.max_per_organization} per organization` : "",
  ].filter(Boolean).join(" · "));
  const base = `/m/${encodeURIComponent(meeting.slug)}`;
  // Each role sees the pages it may work on: a registrar the door.
  const role = user.role;
  const link = (roles, href, text) => roles.includes(role) ? el("a", { class: "button secondary small", href }, text) : null;
  const apiBase = `/api/meetings/${encodeURIComponent(meeting.slug)}`;
  replace($("#meeting-links"), [
    link(["admin", "moderator"], `${base}/console`, "Live console"),
    link(["admin", "moderator", "rapporteur"], `${base}/screen`, "Room screen"),
    link(["admin", "rapporteur"], `${base}/notes`, "Notes"),
    link(["admin", "moderator", "rapporteur"], `${base}/summary/desk`, "Summary desk"),
    link(["admin", "registrar"], `${base}/checkin`, "Check-in at the door"),
    link(["admin", "registrar"], `${apiBase}/badges.pdf?status=approved`, "Badges (PDF, A4)"),
    link(["admin", "moderator", "rapporteur", "registrar"], `${apiBase}/participants.pdf`, "List of participants (PDF)"),
    link(["admin", "moderator", "rapporteur", "registrar"], `${apiBase}/participants.docx`, "List of participants (DOCX)"),
    link(["admin", "moderator", "rapporteur", "registrar"], `${base}/register`, "Registration form"),
    meeting.process ? el("a", { class: "button secondary small", href: `/p/${encodeURIComponent(meeting.process)}` }, "Process page") : null,
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
    say(status, `Agenda item “${item.title}” added.`, "success");
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
    el("li", {}, label, el("b", { text: String(byStatus[key] || 0) }))));
  replace($("#counts-type tbody"), stakeholderTypes.map(({ key, label }) => {
    const c = byType[key] || {};
    return el("tr", {}, el("th", { scope: "row", text: label }),
      ["total", ...states].map((k) => el("td", { class: "num", text: String(c[k] || 0) })));
  }));
}

function decisionButtons(r) {
  if (!isAdmin) return null;
  const can = { pending: ["approve", "waitlist", "reject"], waitlisted: ["approve", "reject"] }[r.status] || [];
  const labels = { approve: "Approve", waitlist: "Waitlist", reject: "Reject" };
  return el("div", { class: "row" }, can.map((d) =>
    el("button", {
      type: "button", class: "small" + (d === "approve" ? "" : " secondary"),
      "data-decision": d, "data-id": r.id,
      onclick: (ev) => openDecision([r.id], d, `${r.name} (${r.organization?.name || ""})`, ev.currentTarget),
    }, labels[d], el("span", { class: "visually-hidden", text: ` ${r.name}` }))));
}

// The organization's fields as the claim and the record show them.
const CLAIM_FIELDS = {
  name: ["Name", (o) => o.name],
  acronym: ["Acronym", (o) => o.acronym],
  type: ["Type", (o) => typeLabel(o.type)],
  country: ["Country", (o) => o.country_name || countryName(o.country)],
  website: ["Website", (o) => o.website],
  ecosoc_status: ["ECOSOC status", (o) => ecosocLabel(o.ecosoc_status)],
};

// claimTable sets what the registrant claimed beside the organization
// record, for the fields where the two differ: a registration never
// changes the shared record, so the secretariat compares them here.
function claimTable(r) {
  const fields = (r.claim_differs || []).filter((f) => CLAIM_FIELDS[f]);
  if (!r.claim || !fields.length) return null;
  return el("table", { class: "compact claim" },
    el("caption", { text: "The registrant's claim differs from the record" }),
    el("thead", {}, el("tr", {},
      el("th", { scope: "col", text: "Field" }), el("th", { scope: "col", text: "Claimed" }), el("th", { scope: "col", text: "Record" }))),
    el("tbody", {}, fields.map((f) => {
      const [label, show] = CLAIM_FIELDS[f];
      return el("tr", { "data-field": f },
        el("th", { scope: "row", text: label }),
        el("td", { class: "claimed", text: show(r.claim) || "—" }),
        el("td", { class: "record", text: show(r.organization || {}) || "—" }));
    })));
}

// nameChange shows a new name the approved participant asked for, with the
// secretariat's buttons to accept or refuse it.
function nameChange(r) {
  if (!r.pending_name) return null;
  return el("div", { class: "name-change" },
    el("span", { class: "cell-sub" }, "Asks to be shown as ", el("strong", { text: r.pending_name })),
    isAdmin ? el("div", { class: "row" },
      el("button", { type: "button", class: "small", "data-name-change": "accept", onclick: (ev) => decideName(r, true, ev.currentTarget) },
        "Accept", el("span", { class: "visually-hidden", text: ` the new name of ${r.name}` })),
      el("button", { type: "button", class: "small secondary", "data-name-change": "refuse", onclick: (ev) => decideName(r, false, ev.currentTarget) },
        "Refuse", el("span", { class: "visually-hidden", text: ` the new name of ${r.name}` }))) : null);
}

async function decideName(r, accept, button) {
  button.disabled = true;
  try {
    // The name reviewed goes along: if the participant has asked for
    // another since, the server refuses and the list shows the new one.
    await api("POST", `/api/registrations/${r.id}/name-change`, { accept, name: r.pending_name });
    await loadRegistrations();
    say(status, accept ? `${r.name} is now shown as “${r.pending_name}”.` : `The new name “${r.pending_name}” was refused; ${r.name} keeps the name.`, "success");
  } catch (err) {
    showError(status, err);
    await loadRegistrations().catch(() => {});
  }
  regsBody.querySelector(`tr[data-id="${r.id}"] th`)?.focus();
}

function row(r) {
  const org = r.organization || {};
  // An erased registration keeps its organization and state, not its name.
  const name = r.anonymized_at ? `Personal data erased (registration ${r.id})` : r.name;
  return el("tr", { "data-id": r.id },
    el("td", { class: "pick" }, isAdmin ? el("input", {
      type: "checkbox", value: r.id, "aria-label": `Select ${name}`, onchange: updateSelection,
    }) : null),
    el("th", { scope: "row", tabindex: "-1" }, name,
      el("span", { class: "cell-sub", text: r.email }),
      r.job_title ? el("span", { class: "cell-sub", text: r.job_title }) : null,
      nameChange(r)),
    el("td", {}, org.acronym ? `${org.name} (${org.acronym})` : org.name,
      el("span", { class: "cell-sub", text: [org.country_name || countryName(org.country), org.website].filter(Boolean).join(" · ") }),
      claimTable(r)),
    el("td", {}, typeLabel(org.type), trackNote(r)),
    el("td", {}, badge(r.status), r.reason ? el("span", { class: "cell-sub", text: r.reason }) : null,
      r.checked_in_at ? el("span", { class: "cell-sub", text: `checked in ${meetingTime(meeting, r.checked_in_at)}` }) : null),
    el("td", {}, decisionButtons(r)));
}

// trackNote says which accreditation track a registration is on.
function trackNote(r) {
  const text = {
    ecosoc: `ECOSOC (${ecosocLabel(r.ecosoc_verified_status)})`,
    non_objection: "Non-objection",
    delegation: "Delegation",
  }[r.track];
  return el("span", { class: "cell-sub track" }, text || "",
    r.claim_unverified ? el("strong", { class: "claim-unverified", text: " · claims a status the ECOSOC list does not confirm" }) : null);
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
  replace($("#regs-caption"), `${shown.length} of ${total} matching registration${total === 1 ? "" : "s"} shown`);
  replace(regsBody, shown.length ? shown.map(row)
    : el("tr", {}, el("td", { colspan: "6", text: "No registration matches these filters." })));
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
  const n = selectedIds().length;
  bulkButton.disabled = n === 0;
  replace($("#selected-count"), n ? `${n} selected` : "");
}

selectAll.addEventListener("change", () => {
  for (const i of regsBody.querySelectorAll("td.pick input")) i.checked = selectAll.checked;
  updateSelection();
});

filters.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  try {
    await loadRegistrations();
    say(status, `${shown.length} registration${shown.length === 1 ? "" : "s"} shown.`);
  } catch (err) {
    showError(status, err);
  }
});
for (const id of ["#f-status", "#f-type", "#f-name-change"]) $(id).addEventListener("change", () => filters.requestSubmit());

bulkButton.addEventListener("click", () => {
  const ids = selectedIds();
  openDecision(ids, "approve", `${ids.length} selected registration${ids.length === 1 ? "" : "s"}`, bulkButton);
});

// ---- decisions ------------------------------------------------------------

function openDecision(ids, decision, label, returnFocus) {
  deciding = { ids, label, returnFocus };
  decideForm.reset();
  clearFieldErrors(decideForm);
  say(decideStatus, "");
  replace($("#decide-title"), ids.length > 1 ? "Decide on several registrations" : "Decide on a registration");
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

const PAST = { approve: "approved", reject: "rejected", waitlist: "waitlisted" };

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
      el("p", { text: `${label}: ${ids.length - failed.length} ${PAST[choice]}, ${failed.length} refused:` }),
      el("ul", {}, failed.map((f) => el("li", { text: `${name(f.id)}: ${f.error}` })))), "warning");
  } else {
    say(status, `${label}: ${PAST[choice]}.`, "success");
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

window.addEventListener("hashchange", () => {
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
