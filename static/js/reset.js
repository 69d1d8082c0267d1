// /reset/{token}: a staff member sets a new password with the one-time
// link the secretariat mailed. The token goes to the API in the body,
// never in an address the server logs.
import { $, api, clearFieldErrors, say, showError, showFieldErrors } from "./api.js";
import { t } from "./i18n.js";

const token = decodeURIComponent(location.pathname.split("/")[2] || "");
const form = $("#reset");
const status = $("#status");

async function check() {
  try {
    const u = await api("POST", "/api/password-reset/check", { token });
    $("#account").textContent = t("reset.for", { Email: u.email });
    form.hidden = false;
    $("#password").focus();
  } catch (err) {
    showError(status, err);
  }
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  const password = $("#password").value;
  if (password !== $("#again").value) {
    const { first } = showFieldErrors(form, { again: t("reset.not_same") });
    first?.focus();
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const res = await api("POST", "/api/password-reset", { token, password });
    form.hidden = true;
    $("#done").hidden = false;
    say(status, t("reset.done", { Email: res.email }), "success");
    status.tabIndex = -1;
    status.focus();
  } catch (err) {
    showError(status, err, form);
    if (err.status === 404 || err.status === 409 || err.status === 410) form.hidden = true;
  } finally {
    button.disabled = false;
  }
});

check();
