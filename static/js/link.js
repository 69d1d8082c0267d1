// "Lost your link?": /m/{slug}/link asks for a new private link by mail.
// The answer is the same whether or not the address is registered.
import { $, api, clearFieldErrors, formJSON, meetingDates, replace, say, showError } from "./api.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const form = $("#new-link");
const status = $("#status");

async function loadMeeting() {
  try {
    const m = await api("GET", `/api/meetings/${encodeURIComponent(slug)}`);
    document.title = `Lost your link? ${m.title} · Rostrum`;
    replace($("#meeting"), [m.title, meetingDates(m)].join(" · "));
  } catch (err) {
    showError(status, err);
    if (err.status === 404) form.hidden = true;
  }
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const res = await api("POST", `/api/meetings/${encodeURIComponent(slug)}/registrations/resend-link`, formJSON(form));
    say(status, res.message, "success");
  } catch (err) {
    showError(status, err, form);
  } finally {
    button.disabled = false;
  }
});

loadMeeting();
