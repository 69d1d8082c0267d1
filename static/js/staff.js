// The account bar every staff page shows once someone is logged in (the
// secretariat console, the moderator console, the notes page and the
// summary desk): who is logged in, with which role, and Log out.
import { api, el, staffSession } from "./api.js";
import { t } from "./i18n.js";

// accountBar adds the bar to container (once) and answers the session.
export async function accountBar(container) {
  const me = await staffSession();
  if (!me || document.getElementById("account-bar")) return me;
  const out = el("button", { type: "button", id: "staff-logout", class: "secondary small" }, t("staff.logout"));
  out.addEventListener("click", async () => {
    try { await api("POST", "/api/logout"); } catch { /* the session is gone either way */ }
    location.reload();
  });
  container.append(el("nav", { id: "account-bar", class: "account-bar", "aria-label": t("staff.account") },
    el("span", { text: `${me.user.email} (${t(`staff.role.${me.user.role}`)}) ` }), out));
  return me;
}
