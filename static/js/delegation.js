// The focal point's page: /d/{token}. The token in the address is the
// mission's secret for one meeting; it is sent as a bearer token to
// /api/delegation/members. The focal point registers members (accredited
// at once), sees the delegation and withdraws a member.
import { $, api, badge, clearFieldErrors, el, formJSON, meetingDates, replace, say, showError } from "./api.js";
import { n, t } from "./i18n.js";

const token = decodeURIComponent(location.pathname.split("/")[2] || "");
const status = $("#status");
const section = $("#delegation");
const form = $("#add");
const dialog = $("#confirm-withdraw");
let withdrawing = null;

function render(d) {
  const m = d.meeting;
  replace($("#title"), t("delegation.of", { State: d.state }));
  document.title = `${t("delegation.of", { State: d.state })} · Rostrum`;
  replace($("#meeting"), el("bdi", { text: m.title }), ` · ${meetingDates(m)} · `, el("bdi", { text: d.mission }));
  const active = d.members.filter((x) => x.status !== "withdrawn");
  replace($("#limit"), m.max_per_delegation > 0
    ? t("delegation.limit", { Count: active.length, Max: m.max_per_delegation })
    : n("delegation.count", active.length));
  $("#empty").hidden = d.members.length > 0;
  replace($("#members"), d.members.map((x) => el("li", { class: "member", "data-id": String(x.id) },
    el("strong", {}, el("bdi", { text: x.name })),
    x.head ? ` ${t("delegation.head_mark")}` : "",
    x.job_title ? [", ", el("bdi", { text: x.job_title })] : "",
    " · ", el("bdi", { text: x.email }), " · ", badge(x.status),
    x.status !== "withdrawn"
      ? el("button", {
        type: "button", class: "secondary small", "aria-label": t("delegation.withdraw_who", { Name: x.name }),
        onclick: () => { withdrawing = x; replace($("#confirm-text"), t("delegation.confirm_text", { Name: x.name })); dialog.showModal(); },
      }, t("delegation.withdraw"))
      : "",
  )));
  section.hidden = false;
  form.hidden = false;
}

async function load() {
  try {
    render(await api("GET", "/api/delegation/members", null, { token }));
  } catch (err) {
    showError(status, err);
  }
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  clearFieldErrors(form);
  try {
    const m = await api("POST", "/api/delegation/members", formJSON(form), { token });
    form.reset();
    await load();
    say(status, t("delegation.added", { Name: m.name, Email: m.email }), "success");
    $("#members-title").focus();
  } catch (err) {
    showError(status, err, form);
  }
});

dialog.addEventListener("close", async () => {
  const x = withdrawing;
  withdrawing = null;
  if (dialog.returnValue !== "withdraw" || !x) return;
  try {
    await api("DELETE", `/api/delegation/members/${x.id}`, null, { token });
    await load();
    say(status, t("delegation.removed", { Name: x.name }), "success");
    $("#members-title").focus();
  } catch (err) {
    showError(status, err);
  }
});

load();
