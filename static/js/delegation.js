// The focal point's page: /d/{token}. The token in the address is the
// mission's secret for one meeting; it is sent as a bearer token to
// /api/delegation/members. The focal point registers members (accredited
// at once), sees the delegation and withdraws a member.
import { $, api, badge, clearFieldErrors, el, formJSON, meetingDates, meetingTime, replace, say, showError } from "./api.js";
import { typeLabel } from "./vocabulary.js";

// /d/{token} or /d/{token}/non-objection/{id}: the page of one notice's
// link opens at that notice.
const parts = location.pathname.split("/");
const token = decodeURIComponent(parts[2] || "");
const focusNotice = parts[3] === "non-objection" ? Number(parts[4]) : 0;
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

// left says how long until deadline, in words: "2 days 3 hours left".
function left(deadline) {
  let s = Math.floor((new Date(deadline) - Date.now()) / 1000);
  if (s <= 0) return "deadline passed";
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60);
  const plural = (n, w) => `${n} ${w}${n === 1 ? "" : "s"}`;
  if (d > 0) return `${plural(d, "day")} ${plural(h, "hour")} left`;
  if (h > 0) return `${plural(h, "hour")} ${plural(m, "minute")} left`;
  return m > 0 ? `${plural(m, "minute")} left` : "less than a minute left";
}

function noticeOrg(n, o, meeting) {
  const mine = n.objected[String(o.id)];
  const li = el("li", { class: "notice-org", "data-org": String(o.id) },
    el("h4", { text: o.name + (o.acronym ? ` (${o.acronym})` : "") }),
    el("p", {}, [typeLabel(o.type), o.country_name].filter(Boolean).join(" · ")),
    o.website ? el("p", {}, el("a", { href: o.website, rel: "noopener noreferrer", target: "_blank" }, o.website)) : "",
    o.description ? el("p", { class: "description", text: o.description }) : el("p", { class: "hint", text: "No description given." }),
  );
  if (mine !== undefined) {
    li.append(el("p", { class: "objected" }, el("strong", { text: "Your objection: " }), mine));
  } else if (n.open) {
    const id = `reason-${n.id}-${o.id}`;
    const f = el("form", { class: "object", novalidate: true },
      el("label", { for: id }, `Reason for objecting to ${o.name}`),
      el("textarea", { id, name: "reason", rows: "3", maxlength: "1000", required: true }),
      el("div", { class: "actions" }, el("button", { type: "submit", class: "danger" }, `Object to ${o.name}`)),
    );
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clearFieldErrors(f);
      try {
        await api("POST", `/api/non-objection/${n.id}/objections`, { organization_id: o.id, reason: f.reason.value.trim() }, { token });
        await loadNotices();
        say(status, `Your objection to ${o.name} is recorded. Only the secretariat reads it.`, "success");
        $("#notices-title").focus();
      } catch (err) {
        showError(status, err, f);
      }
    });
    li.append(el("details", {}, el("summary", {}, "Object"), f));
  } else {
    li.append(el("p", { class: "hint", text: "No objection from your State." }));
  }
  return li;
}

function renderNotices(d) {
  const list = $("#notice-list");
  replace(list, d.notices.map((n) => el("article", { class: "notice-item", id: `notice-${n.id}`, tabindex: "-1" },
    el("h3", {}, `Notice ${n.id}: ${n.organizations.length} ${n.organizations.length === 1 ? "organization" : "organizations"}`),
    el("p", {}, el("strong", { text: n.open ? "Objections until " : "Closed: the deadline was " }), meetingTime(d.meeting, n.deadline),
      n.open ? el("span", { class: "countdown", "data-deadline": n.deadline, text: ` (${left(n.deadline)})` }) : ""),
    el("ul", { class: "notice-orgs" }, ...n.organizations.map((o) => noticeOrg(n, o, d.meeting))),
  )));
  $("#notices").hidden = d.notices.length === 0;
}

async function loadNotices() {
  renderNotices(await api("GET", "/api/non-objection", null, { token }));
}

async function load() {
  try {
    render(await api("GET", "/api/delegation/members", null, { token }));
    await loadNotices();
    if (focusNotice) {
      const n = $(`#notice-${focusNotice}`);
      if (n) { n.scrollIntoView(); n.focus(); }
    }
  } catch (err) {
    showError(status, err);
  }
}

setInterval(() => {
  for (const c of document.querySelectorAll(".countdown")) c.textContent = ` (${left(c.dataset.deadline)})`;
}, 30000);

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
