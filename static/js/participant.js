// The participant's page: /r/{token}. The token in the address is the
// participant's secret; it is sent as a bearer token to /api/participant.
// The section #floor belongs to the live list's own module.
import {
  $, api, badge, clearFieldErrors, el, fillForm, formJSON, meetingDates, meetingTime, replace, say, showError,
} from "./api.js";
import { countryName, ecosocLabel, typeLabel } from "./vocabulary.js";
import { parts, t } from "./i18n.js";

const token = decodeURIComponent(location.pathname.split("/")[2] || "");
const status = $("#status");
const section = $("#registration");
const form = $("#edit");
const editButton = $("#edit-button");
const withdrawButton = $("#withdraw-button");
const dialog = $("#confirm-withdraw");
const eraseDialog = $("#confirm-erase");

const STATE_TEXT = {
  pending: t("state_text.pending"),
  approved: t("state_text.approved"),
  waitlisted: t("register.waitlisted"),
  rejected: t("state_text.rejected"),
  withdrawn: t("state_text.withdrawn"),
};

let current = null;

// GET /api/participant answers the registration with its organization,
// its meeting, and can_edit / can_withdraw.
function render(reg) {
  const org = reg.organization || {};
  const meeting = reg.meeting;
  current = reg;
  if (meeting) {
    replace($("#meeting"), el("bdi", { text: meeting.title }), ` · ${meetingDates(meeting)}`);
  }
  replace($("#state"), badge(reg.status));
  replace($("#state-text"), STATE_TEXT[reg.status] || "");
  $("#reason-line").hidden = !reg.reason;
  replace($("#reason"), reg.reason || "");
  // Names, organizations and addresses are isolated (dir=auto) so that an
  // Arabic name and a Latin organization never reorder each other.
  const rows = [
    [t("field.name"), reg.name, "auto"], [t("field.email"), reg.email, "ltr"], [t("field.job_title"), reg.job_title, "auto"],
    [t("field.organization"), org.acronym ? `${org.name} (${org.acronym})` : org.name, "auto"],
    [t("field.type"), typeLabel(org.type)],
    [t("field.country_short"), countryName(org.country) || org.country_name], [t("field.website"), org.website, "ltr"],
    [t("field.ecosoc_short"), ecosocLabel(org.ecosoc_status)],
    [t("field.registered_on"), meetingTime(meeting, reg.created_at)],
  ];
  replace($("#details"), rows.filter(([, v]) => v).map(([k, v, dir]) => [el("dt", { text: k }), el("dd", { text: v, dir })]));
  // Once accredited, a new name is shown only when the secretariat accepts it.
  $("#name-change").hidden = !reg.pending_name;
  replace($("#name-change"), reg.pending_name ? parts("participant.pending_name", {
    New: el("strong", {}, el("bdi", { text: reg.pending_name })),
    Old: el("strong", {}, el("bdi", { text: reg.name })),
  }) : "");
  // Once approved: the QR code of the check-in code, with the name and
  // the meeting, for the door.
  $("#door-pass").hidden = !reg.checkin_qr;
  if (reg.checkin_qr) {
    $("#pass-qr").src = reg.checkin_qr;
    $("#pass-qr").alt = t("pass.qr_alt", { Code: reg.checkin_code });
    replace($("#pass-name"), reg.name);
    replace($("#pass-org"), org.name || "");
    replace($("#pass-meeting"), meeting ? `${meeting.title}, ${meetingDates(meeting)}` : "");
    replace($("#pass-code"), reg.checkin_code);
    replace($("#pass-checked"), reg.checked_in_at ? t("pass.checked", { When: meetingTime(meeting, reg.checked_in_at) }) : "");
  }
  editButton.hidden = !reg.can_edit;
  // Withdrawing is out of the way, at the foot of the page, and confirms.
  $("#withdraw-line").hidden = !reg.can_withdraw;
  $("#actions").hidden = !reg.can_edit;
  if (!reg.can_edit) form.hidden = true;
  section.hidden = false;
  $("#my-data").hidden = false;
  $("#erase-seat").hidden = !reg.can_withdraw;
  replace($("#retention-note"), meeting?.retention_ends ? t("data.retention_ends", { When: meetingTime(meeting, meeting.retention_ends) }) : "");
}

async function load() {
  try {
    render(await api("GET", "/api/participant", null, { token }));
  } catch (err) {
    showError(status, err);
  }
}

function openEdit(open) {
  form.hidden = !open;
  editButton.setAttribute("aria-expanded", String(open));
  if (open) {
    clearFieldErrors(form);
    fillForm(form, current);
    if (current.pending_name) $("#name").value = current.pending_name;
    $("#edit-title").focus();
  } else {
    editButton.focus();
  }
}

editButton.addEventListener("click", () => openEdit(form.hidden));
$("#edit-cancel").addEventListener("click", () => openEdit(false));

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  try {
    const reg = await api("PUT", "/api/participant", formJSON(form), { token });
    render(reg);
    openEdit(false);
    say(status, reg.pending_name ? t("participant.saved_name") : t("participant.saved"), "success");
  } catch (err) {
    showError(status, err, form);
  }
});

withdrawButton.addEventListener("click", () => dialog.showModal());
dialog.addEventListener("close", async () => {
  if (dialog.returnValue !== "withdraw") { withdrawButton.focus(); return; }
  try {
    render(await api("POST", "/api/participant/withdraw", null, { token }));
    form.hidden = true;
    say(status, t("participant.withdrawn"), "success");
    $("#reg-title").focus();
  } catch (err) {
    showError(status, err);
  }
});

// ---- personal data -------------------------------------------------------

$("#export-button").addEventListener("click", async () => {
  try {
    const data = await api("GET", "/api/participant/export", null, { token });
    const name = `${(current?.meeting?.slug) || "meeting"}-my-data.json`;
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
    const a = el("a", { href: url, download: name, text: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    say(status, t("data.downloaded", { Name: name }), "success");
  } catch (err) {
    showError(status, err);
  }
});

$("#erase-button").addEventListener("click", () => eraseDialog.showModal());
eraseDialog.addEventListener("close", async () => {
  if (eraseDialog.returnValue !== "erase") { $("#erase-button").focus(); return; }
  try {
    await api("DELETE", "/api/participant", null, { token });
    // The link is dead: nothing of the registration is left to show.
    for (const id of ["#registration", "#edit", "#my-data", "#floor"]) $(id).hidden = true;
    replace($("#meeting"), "");
    say(status, t("data.erased"), "success");
    status.tabIndex = -1;
    status.focus();
  } catch (err) {
    showError(status, err);
  }
});

load();
