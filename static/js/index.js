// The home page: the meetings open for registration (GET /api/meetings),
// and, once a meeting has started, its public list of participants.
import { $, api, el, meetingDates, meetingTime, replace, say, showError } from "./api.js";

const list = $("#meetings");
const status = $("#status");

function meetingCard(m) {
  const open = !m.registration_closes_at || new Date(m.registration_closes_at) > new Date();
  const slug = encodeURIComponent(m.slug);
  const started = new Date(m.starts_at) <= new Date();
  return el("li", {},
    el("article", { class: "card", "aria-labelledby": `m-${m.id}` },
      el("h2", { id: `m-${m.id}`, text: m.title }),
      el("dl", { class: "pairs" },
        el("dt", { text: "Dates" }), el("dd", { text: meetingDates(m) }),
        m.venue ? [el("dt", { text: "Venue" }), el("dd", { text: m.venue })] : null,
        el("dt", { text: "Registration" }),
        el("dd", { text: open ? `open until ${meetingTime(m, m.registration_closes_at)}` : "closed" })),
      el("p", { class: "actions" },
        open ? el("a", { class: "button", href: `/m/${slug}/register` }, "Register", el("span", { class: "visually-hidden", text: ` for ${m.title}` })) : null,
        el("a", { class: "button secondary", href: `/m/${slug}/screen` }, "List of speakers", el("span", { class: "visually-hidden", text: ` of ${m.title}` })),
        el("a", { class: "button secondary", href: `/m/${slug}/summary` }, "Chair's summary", el("span", { class: "visually-hidden", text: ` of ${m.title}` })),
        el("a", { class: "button secondary", href: `/m/${slug}/calendar.ics` }, "Add to calendar", el("span", { class: "visually-hidden", text: ` (${m.title}, .ics)` })),
        m.process ? el("a", { class: "button secondary", href: `/p/${encodeURIComponent(m.process)}` }, "All meetings of the process", el("span", { class: "visually-hidden", text: ` of ${m.title}` })) : null,
        // The list of participating States and organizations is public once the meeting has started.
        started ? el("a", { class: "button secondary", href: `/api/meetings/${slug}/participants.pdf?public=1` }, "List of participants (PDF)", el("span", { class: "visually-hidden", text: ` of ${m.title}` })) : null)));
}

async function load() {
  try {
    const { meetings } = await api("GET", "/api/meetings");
    if (!meetings || meetings.length === 0) {
      say(status, "No meeting is open for registration at the moment.");
      return;
    }
    replace(list, meetings.map(meetingCard));
  } catch (err) {
    showError(status, err);
  }
}

load();
