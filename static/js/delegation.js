// The focal point's page: /d/{token}. The token in the address is the
// mission's secret for one meeting; it is sent as a bearer token to
// /api/delegation/members. The focal point registers members (accredited
// at once), sees the delegation and withdraws a member.
import { $, api, badge, clearFieldErrors, el, formJSON, meetingDates, replace, say, showError } from "./api.js";

const token = decodeURIComponent(location.pathname.split("/")[2] || "");
const status = $("#status");
const section = $("#delegation");
const form = $("#add");
const dialog = $("#confirm-withdraw");
let withdrawing = null;

function render(d) {
  const m = d.meeting;
  replace($("#title"), `Delegation of ${d.state}`);
  document.title = `Delegation of ${d.state} · Rostrum`;
  replace($("#meeting"), `${m.title} · ${meetingDates(m)} · ${d.mission}`);
  const active = d.members.filter((x) => x.status !== "withdrawn");
  replace($("#limit"), m.max_per_delegation > 0
    ? `${active.length} of at most ${m.max_per_delegation} members registered.`
    : `${active.length} ${active.length === 1 ? "member" : "members"} registered.`);
  $("#empty").hidden = d.members.length > 0;
  replace($("#members"), d.members.map((x) => el("li", { class: "member", "data-id": String(x.id) },
    el("strong", { text: x.name }),
    x.head ? " (head of delegation)" : "",
    x.job_title ? `, ${x.job_title}` : "",
    " · ", x.email, " · ", badge(x.status),
    x.status !== "withdrawn"
      ? el("button", {
        type: "button", class: "secondary small", "aria-label": `Withdraw ${x.name}`,
        onclick: () => { withdrawing = x; replace($("#confirm-text"), `${x.name} will no longer be accredited to the meeting, and their seat is freed.`); dialog.showModal(); },
      }, "Withdraw")
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
    say(status, `${m.name} is registered and accredited; a private link is on its way to ${m.email}.`, "success");
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
    say(status, `${x.name} is withdrawn.`, "success");
    $("#members-title").focus();
  } catch (err) {
    showError(status, err);
  }
});

load();
