// The focal point's page: /d/{token}. The token in the address is the
// mission's secret for one meeting; it is sent as a bearer token to
// /api/delegation/members. The focal point registers members (accredited
// at once), sees the delegation and withdraws a member.
import { $, api, badge, clearFieldErrors, el, formJSON, meetingDates, meetingTime, replace, say, showError } from "./api.js";
import { typeLabel } from "./vocabulary.js";
import { locale, n as nplural, t } from "./i18n.js";

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
  replace($("#title"), t("delegation.of", { State: d.state }));
  document.title = `${t("delegation.of", { State: d.state })} · Rostrum`;
  replace($("#meeting"), el("bdi", { text: m.title }), ` · ${meetingDates(m)} · `, el("bdi", { text: d.mission }));
  const active = d.members.filter((x) => x.status !== "withdrawn");
  // With no limit and nobody yet, #empty says it: the count would say it twice.
  replace($("#limit"), m.max_per_delegation > 0
    ? t("delegation.limit", { Count: active.length, Max: m.max_per_delegation })
    : active.length > 0 ? nplural("delegation.count", active.length) : "");
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

// left says how long until deadline, the units as the browser writes
// them in the page's language (Intl): "2 days, 3 hours left",
// "2 jours et 3 heures restants".
const unit = (u) => new Intl.NumberFormat(locale, { style: "unit", unit: u, unitDisplay: "long" });
const units = new Intl.ListFormat(locale, { style: "long", type: "unit" });
function left(deadline) {
  let s = Math.floor((new Date(deadline) - Date.now()) / 1000);
  if (s <= 0) return t("notice.deadline_passed");
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.max(1, Math.floor(s / 60));
  const parts = d > 0 ? [unit("day").format(d), unit("hour").format(h)]
    : h > 0 ? [unit("hour").format(h), unit("minute").format(m)] : [unit("minute").format(m)];
  return t("notice.left", { Time: units.format(parts) });
}

function noticeOrg(n, o, meeting) {
  const mine = n.objected[String(o.id)];
  const li = el("li", { class: "notice-org", "data-org": String(o.id) },
    el("h4", { text: o.name + (o.acronym ? ` (${o.acronym})` : "") }),
    el("p", {}, [typeLabel(o.type), o.country_name].filter(Boolean).join(" · ")),
    o.website ? el("p", {}, el("a", { href: o.website, rel: "noopener noreferrer", target: "_blank" }, o.website)) : "",
    o.description ? el("p", { class: "description", text: o.description }) : el("p", { class: "hint", text: t("notice.no_description") }),
  );
  if (mine !== undefined) {
    li.append(el("p", { class: "objected" }, el("strong", { text: `${t("notice.your_objection")} ` }), mine));
  } else if (n.open) {
    const id = `reason-${n.id}-${o.id}`;
    const f = el("form", { class: "object", novalidate: true },
      el("label", { for: id }, t("notice.reason_for", { Name: o.name })),
      el("textarea", { id, name: "reason", rows: "3", maxlength: "1000", required: true }),
      el("div", { class: "actions" }, el("button", { type: "submit", class: "danger" }, t("notice.object_to", { Name: o.name }))),
    );
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clearFieldErrors(f);
      try {
        await api("POST", `/api/non-objection/${n.id}/objections`, { organization_id: o.id, reason: f.reason.value.trim() }, { token });
        await loadNotices();
        say(status, t("notice.recorded", { Name: o.name }), "success");
        $("#notices-title").focus();
      } catch (err) {
        showError(status, err, f);
      }
    });
    li.append(el("details", {}, el("summary", {}, t("notice.object")), f));
  } else {
    li.append(el("p", { class: "hint", text: t("notice.none") }));
  }
  return li;
}

function renderNotices(d) {
  const list = $("#notice-list");
  replace(list, d.notices.map((n) => el("article", { class: "notice-item", id: `notice-${n.id}`, tabindex: "-1" },
    el("h3", {}, `${t("notice.heading", { Id: n.id })}: ${nplural("notice.orgs", n.organizations.length)}`),
    el("p", {}, el("strong", { text: `${t(n.open ? "notice.until" : "notice.closed")} ` }), meetingTime(d.meeting, n.deadline),
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
