// The secretariat console's staff accounts (admins: role, disable or
// enable, send a link to set a new password) and every staff member's
// "change my password".
import { $, api, clearFieldErrors, el, formJSON, replace, say, showError } from "./api.js";
import { staffRoles } from "./vocabulary.js";
import { t } from "./i18n.js";

const status = $("#status");
const roles = staffRoles.map(({ key }) => [key, t(`admin.staff.role.${key}`)]);
let me = null;

// showStaff lists the accounts for an admin; others see only their own
// password form.
export async function showStaff(user) {
  me = user;
  if (user.role !== "admin") return;
  await loadStaff();
}

async function loadStaff(focusSelector) {
  const { users } = await api("GET", "/api/users");
  replace($("#staff-table tbody"), (users || []).map(staffRow));
  if (focusSelector) document.querySelector(focusSelector)?.focus();
}

function staffRow(u) {
  const roleId = `role-${u.id}`;
  const select = el("select", { id: roleId, "data-act": "role" },
    roles.map(([key, label]) => el("option", { value: key, text: label, selected: key === u.role })));
  select.addEventListener("change", () => change(u, { role: select.value }, t("admin.staff.role_changed", { Email: u.email, Role: t(`staff.role.${select.value}`) }), "role"));
  const self = me && u.email === me.email;
  return el("tr", { "data-id": u.id, "data-email": u.email },
    el("th", { scope: "row" }, u.name || u.email, el("span", { class: "cell-sub mono", text: u.email })),
    el("td", {}, el("label", { for: roleId, class: "visually-hidden", text: t("admin.staff.role_of", { Email: u.email }) }), select),
    el("td", { text: t(u.disabled ? "admin.staff.disabled" : "admin.staff.active") }),
    el("td", {}, el("div", { class: "actions" },
      el("button", {
        type: "button", class: u.disabled ? "secondary small" : "danger small", "data-act": "disable",
        onclick: () => change(u, { disabled: !u.disabled }, t(u.disabled ? "admin.staff.enabled_done" : "admin.staff.disabled_done", { Email: u.email }), "disable"),
      }, t(u.disabled ? "admin.staff.enable" : "admin.staff.disable"), el("span", { class: "visually-hidden", text: ` ${u.email}` })),
      el("button", {
        type: "button", class: "secondary small", "data-act": "reset", disabled: u.disabled || self,
        onclick: (ev) => sendReset(u, ev.currentTarget),
      }, t("admin.staff.reset"), el("span", { class: "visually-hidden", text: " " + t("admin.staff.reset_to", { Email: u.email }) })))));
}

async function change(u, body, done, act) {
  try {
    await api("PATCH", `/api/users/${u.id}`, body);
    await loadStaff(`#staff-table tr[data-id="${u.id}"] [data-act="${act}"]`);
    say(status, done, "success");
  } catch (err) {
    showError(status, err); // 409 last_admin: someone must stay admin
    await loadStaff(`#staff-table tr[data-id="${u.id}"] [data-act="${act}"]`);
  }
}

async function sendReset(u, button) {
  button.disabled = true;
  try {
    await api("POST", `/api/users/${u.id}/reset`);
    say(status, t("admin.staff.reset_sent", { Email: u.email }), "success");
  } catch (err) {
    showError(status, err);
  } finally {
    button.disabled = false;
  }
}

const pwForm = $("#my-password");
pwForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(pwForm);
  try {
    await api("POST", "/api/me/password", formJSON(pwForm));
    pwForm.reset();
    $("#password-details").open = false;
    say(status, t("admin.password.changed"), "success");
    status.tabIndex = -1;
    status.focus();
  } catch (err) {
    showError(status, err, pwForm);
    if (err.status === 403) $("#pw-current").focus();
  }
});
