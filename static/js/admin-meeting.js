// The secretariat console's editing of one meeting: its fields, its
// agenda items (edit, move, delete) and its audit log. admin.js shows the
// meeting and calls showMeetingEditors with it.
import { $, api, clearFieldErrors, el, fillForm, formJSON, formatDate, meetingTime, replace, wallClock, say, showError } from "./api.js";
import { n, t } from "./i18n.js";

const status = $("#status");
const editForm = $("#edit-meeting");
let meeting = null;
let isAdmin = false;
let onChanged = async () => {};
let initial = {};        // the edit form's values as loaded, to send only what changed
let auditBefore = "";    // the time of the oldest line shown, for "Show older changes"

const slugPath = () => `/api/meetings/${encodeURIComponent(meeting.slug)}`;

const timeFields = ["starts_at", "ends_at", "registration_closes_at"];

// showMeetingEditors fills the editors for m; changed is called after an
// edit so that admin.js can show the meeting again.
export async function showMeetingEditors(m, admin, changed) {
  meeting = m;
  isAdmin = admin;
  onChanged = changed;
  const values = { ...m };
  for (const k of timeFields) values[k] = wallClock(m[k], m.timezone);
  clearFieldErrors(editForm);
  fillForm(editForm, values);
  initial = formJSON(editForm);
  replace($("#e-notice-version"), m.privacy_notice
    ? t("admin.notice_version", { Version: m.privacy_notice_version }) : t("admin.notice_builtin"));
  const details = $("#audit-details");
  if (details.open) await loadAudit(true);
  await loadAgenda();
}

editForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(editForm);
  const now = formJSON(editForm);
  const body = {};
  // Times go as typed, without an offset: the server reads them in the
  // meeting's zone. A new zone keeps the times as they read (10:00 stays
  // 10:00, now in the new zone), so they go with it.
  const zoneChanged = now.timezone !== initial.timezone;
  for (const [k, v] of Object.entries(now)) {
    if (v !== initial[k] || (zoneChanged && timeFields.includes(k))) body[k] = v;
  }
  if (Object.keys(body).length === 0) {
    say(status, t("admin.nothing_changed"));
    return;
  }
  try {
    const m = await api("PATCH", slugPath(), body);
    say(status, t("admin.meeting.saved", { Title: m.title }), "success");
    await onChanged();
  } catch (err) {
    // below_held names the limits (capacity, max_per_organization) beside their fields.
    showError(status, err, editForm);
  }
});

// ---- agenda -----------------------------------------------------------------

async function loadAgenda(focusSelector) {
  const { items } = await api("GET", `${slugPath()}/agenda`);
  const list = items || [];
  replace($("#agenda"), list.map((it, i) => agendaItem(it, i, list)));
  if (focusSelector) document.querySelector(focusSelector)?.focus();
}

function slotText(it) {
  if (!it.starts_at) return "";
  return ` · ${formatDate(it.starts_at, true, meeting.timezone)}${it.ends_at ? " – " + meetingTime(meeting, it.ends_at) : ""}`;
}

function agendaItem(it, i, list) {
  const li = el("li", { "data-id": it.id },
    el("span", { class: "item-title", text: it.title }), " ",
    el("small", { text: `(${n("admin.item.seconds", it.speaking_time_seconds)}${slotText(it)})` }));
  if (!isAdmin) return li;
  const named = (id) => el("span", {}, t(id), el("span", { class: "visually-hidden", text: " " + t("admin.quoted", { Title: it.title }) }));
  li.append(el("div", { class: "actions" },
    el("button", { type: "button", class: "secondary small", "data-act": "edit", onclick: () => editItem(li, it) }, named("admin.item.edit")),
    el("button", { type: "button", class: "secondary small", "data-act": "up", disabled: i === 0, onclick: () => move(list, i, -1) }, named("admin.item.up")),
    el("button", { type: "button", class: "secondary small", "data-act": "down", disabled: i === list.length - 1, onclick: () => move(list, i, 1) }, named("admin.item.down")),
    el("button", { type: "button", class: "danger small", "data-act": "delete", onclick: () => removeItem(it) }, named("admin.item.delete"))));
  return li;
}

async function move(list, i, by) {
  const ids = list.map((it) => it.id);
  [ids[i], ids[i + by]] = [ids[i + by], ids[i]];
  try {
    await api("POST", `${slugPath()}/agenda/order`, { ids });
    const act = by < 0 ? "up" : "down";
    // Focus stays on the moved item's button (or its other one at an end).
    await loadAgenda(`#agenda li[data-id="${list[i].id}"] button[data-act="${act}"]:not(:disabled), #agenda li[data-id="${list[i].id}"] button[data-act="edit"]`);
    say(status, t(`admin.item.moved_${act}`, { Title: list[i].title }), "success");
  } catch (err) {
    showError(status, err);
  }
}

async function removeItem(it) {
  if (!confirm(t("admin.item.confirm_delete", { Title: it.title }))) return;
  try {
    await api("DELETE", `${slugPath()}/agenda/${it.id}`);
    await loadAgenda();
    say(status, t("admin.item.deleted", { Title: it.title }), "success");
    $("#item-title").focus();
  } catch (err) {
    showError(status, err); // 409 item_spoken: someone has spoken on it
  }
}

function editItem(li, it) {
  const id = `ai-${it.id}`;
  const form = el("form", { class: "card", novalidate: true },
    el("div", { class: "field" }, el("label", { for: `${id}-title`, text: t("admin.field.title") }),
      el("input", { id: `${id}-title`, name: "title", type: "text", maxlength: "300", required: true })),
    el("div", { class: "field" }, el("label", { for: `${id}-time`, text: t("admin.item.time") }),
      el("input", { id: `${id}-time`, name: "speaking_time_seconds", type: "number", min: "10" })),
    el("div", { class: "field" }, el("label", { for: `${id}-starts` }, t("admin.item.slot_starts"), " ", el("span", { class: "optional", text: t("field.optional") })),
      el("input", { id: `${id}-starts`, name: "starts_at", type: "datetime-local" })),
    el("div", { class: "field" }, el("label", { for: `${id}-ends` }, t("admin.item.slot_ends"), " ", el("span", { class: "optional", text: t("field.optional") })),
      el("input", { id: `${id}-ends`, name: "ends_at", type: "datetime-local" })),
    el("div", { class: "actions" },
      el("button", { type: "submit", text: t("admin.item.save") }),
      el("button", { type: "button", class: "secondary", text: t("common.cancel"), onclick: () => loadAgenda(`#agenda li[data-id="${it.id}"] button[data-act="edit"]`) })));
  fillForm(form, { title: it.title, speaking_time_seconds: it.speaking_time_seconds, starts_at: wallClock(it.starts_at, meeting.timezone), ends_at: wallClock(it.ends_at, meeting.timezone) });
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearFieldErrors(form);
    const body = formJSON(form);
    body.starts_at = body.starts_at || null; // read in the meeting's zone by the server
    body.ends_at = body.ends_at || null;
    try {
      await api("PATCH", `${slugPath()}/agenda/${it.id}`, body);
      await loadAgenda(`#agenda li[data-id="${it.id}"] button[data-act="edit"]`);
      say(status, t("admin.item.saved", { Title: body.title }), "success");
    } catch (err) {
      showError(status, err, form);
    }
  });
  li.replaceChildren(form);
  form.querySelector("input").focus();
}

export { loadAgenda };

// ---- audit log ----------------------------------------------------------------

// actionName names an audit action (admin.audit.action.*; a test holds
// that every action the server records has a name), else shows its code.
function actionName(action) {
  const id = `admin.audit.action.${action}`;
  const name = t(id);
  return name === id ? action.replace(/_/g, " ") : name;
}

function detailText(d) {
  if (!d || typeof d !== "object") return d == null ? "" : String(d);
  return Object.entries(d).map(([k, v]) => `${k.replace(/_/g, " ")}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join("; ");
}

async function loadAudit(fresh) {
  const table = $("#audit-table");
  if (fresh) { auditBefore = ""; replace(table.tBodies[0]); }
  const q = new URLSearchParams({ limit: "50" });
  if (auditBefore) q.set("before", auditBefore);
  table.setAttribute("aria-busy", "true");
  try {
    const { events } = await api("GET", `${slugPath()}/audit?${q}`);
    for (const ev of events || []) {
      table.tBodies[0].append(el("tr", {},
        el("td", { text: meetingTime(meeting, ev.at) }),
        el("td", { text: ev.actor }),
        el("td", { text: actionName(ev.action) }),
        el("td", { text: detailText(ev.detail) })));
    }
    if (events && events.length) auditBefore = events[events.length - 1].at;
    $("#audit-more").hidden = !events || events.length < 50;
  } catch (err) {
    showError(status, err);
  } finally {
    table.setAttribute("aria-busy", "false");
  }
}

$("#audit-details").addEventListener("toggle", (ev) => {
  if (ev.currentTarget.open && meeting) loadAudit(true);
});
$("#audit-more").addEventListener("click", () => loadAudit(false));
