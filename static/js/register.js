// The registration form: /m/{slug}/register. Without JavaScript the form
// posts itself to the server; with it, it calls the JSON API so that field
// errors appear beside their fields and the manage link shows at once.
// The server renders the page in the reader's language with the meeting's
// name, dates and whether registration is closed; the form's hidden
// "language" field sends that language, which every mail to the
// registrant is written in.
import { $, api, badge, clearFieldErrors, formJSON, replace, say, showError } from "./api.js";
import { t } from "./i18n.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const form = $("#register");
const status = $("#status");

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  say(status, t("register.sending"));
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const reg = await api("POST", `/api/meetings/${encodeURIComponent(slug)}/registrations`, formJSON(form));
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
  } finally {
    button.disabled = false;
  }
});

