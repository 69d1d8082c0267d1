// The registration form: /m/{slug}/register. Without JavaScript the form
// posts itself to the server; with it, it calls the JSON API so that field
// errors appear beside their fields and the manage link shows at once.
// The server renders the page in the reader's language with the meeting's
// name, dates and whether registration is closed; the form's hidden
// "language" field sends that language, which every mail to the
// registrant is written in.
import { $, api, badge, clearFieldErrors, fillForm, formJSON, replace, say, showError } from "./api.js";
import { t } from "./i18n.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const form = $("#register");
const status = $("#status");

// The pre-fill offer shows for a meeting of a process: a representative
// of an earlier meeting of it may have the form filled in.
async function loadMeeting() {
  try {
    const m = await api("GET", `/api/meetings/${encodeURIComponent(slug)}`);
    if (m.process && !form.hidden) $("#prefill").hidden = false;
  } catch {
    // the server rendered the page; without the meeting there is no offer
  }
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  say(status, t("register.sending"));
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const body = formJSON(form);
    // The privacy notice's version, rendered by the server beside the
    // notice: the version this registrant read and agrees to.
    if ("consent_version" in body) body.consent_version = Number(body.consent_version);
    const reg = await api("POST", `/api/meetings/${encodeURIComponent(slug)}/registrations`, body);
    form.hidden = true;
    say(status, "");
    replace($("#done-status"), badge(reg.status));
    $("#done-waitlisted").hidden = reg.status !== "waitlisted";
    for (const a of [$("#manage-link"), $("#manage-button")]) a.href = reg.manage_url;
    replace($("#manage-link"), reg.manage_url);
    $("#done").hidden = false;
    $("#done-title").focus();
  } catch (err) {
    showError(status, err, form);
    // A changed notice: its message sits under the notice; the box to
    // tick again is the consent.
    if (err.fields?.consent_version) $("#consent").focus();
  } finally {
    button.disabled = false;
  }
});

// A pre-fill link (/m/{slug}/register#prefill=TOKEN, mailed to an address
// that registered for another meeting of the process) fills the form
// once. The token is in the fragment, which the browser never sends; it
// is taken off the address at once, so that a reload or a shared address
// does not carry it.
async function openPrefill() {
  const m = /^#prefill=([A-Za-z0-9_-]+)$/.exec(location.hash);
  if (!m) return;
  history.replaceState(null, "", location.pathname + location.search);
  try {
    const p = await api("POST", `/api/meetings/${encodeURIComponent(slug)}/prefill/open`, { token: m[1] });
    fillForm(form, { organization: p.organization, email: p.email, job_title: p.job_title });
    say(status, t("prefill.filled", { Title: p.from.title }), "success");
    $("#name").focus();
  } catch (err) {
    showError(status, err);
  }
}

$("#prefill-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = ev.currentTarget;
  const region = $("#prefill-status");
  clearFieldErrors(f);
  const button = f.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const res = await api("POST", `/api/meetings/${encodeURIComponent(slug)}/prefill`, formJSON(f));
    say(region, res.message, "success");
  } catch (err) {
    showError(region, err, f);
  } finally {
    button.disabled = false;
  }
});

loadMeeting();
openPrefill();
window.addEventListener("hashchange", openPrefill); // a link followed while the form is open
