// The registration form: /m/{slug}/register. Without JavaScript the form
// posts itself to the server; with it, it calls the JSON API so that field
// errors appear beside their fields and the manage link shows at once.
import { $, api, badge, clearFieldErrors, formJSON, meetingDates, replace, say, showError } from "./api.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const form = $("#register");
const status = $("#status");

async function loadMeeting() {
  try {
    const m = await api("GET", `/api/meetings/${encodeURIComponent(slug)}`);
    document.title = `Register: ${m.title} · Rostrum`;
    replace($("#title"), `Register for ${m.title}`);
    const when = meetingDates(m);
    replace($("#meeting"), [when, m.venue].filter(Boolean).join(" · "));
    if (m.registration_closes_at && new Date(m.registration_closes_at) < new Date()) {
      say(status, "Registration for this meeting is closed.", "warning");
      form.hidden = true;
    }
  } catch (err) {
    showError(status, err);
    if (err.status === 404) form.hidden = true;
  }
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  say(status, "Sending your registration…");
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

loadMeeting();
