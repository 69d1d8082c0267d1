// "Lost your link?": /m/{slug}/link asks for a new private link by mail.
// The answer is the same whether or not the address is registered. The
// server renders the page, with the meeting, in the reader's language.
import { $, api, clearFieldErrors, formJSON, say, showError } from "./api.js";
import { t } from "./i18n.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const form = $("#new-link");
const status = $("#status");

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    await api("POST", `/api/meetings/${encodeURIComponent(slug)}/registrations/resend-link`, formJSON(form));
    say(status, t("link.sent"), "success");
  } catch (err) {
    showError(status, err, form);
  } finally {
    button.disabled = false;
  }
});
