// A process of several meetings: /p/{slug} lists its substantive
// sessions and intersessional meetings, earliest first, each with its
// dates in its own zone, its published documents and its circulated
// Chair's summary (GET /api/processes/{slug}).
import { $, api, el, formatDate, meetingDates, replace, say, showError } from "./api.js";
import { locale } from "./i18n.js";
import { kindLabel } from "./vocabulary.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const list = $("#meetings");
const status = $("#status");

// A document's language by name ("French"), in the page's language.
const languageNames = new Intl.DisplayNames([locale], { type: "language" });
const languageName = (code) => { try { return languageNames.of(code) || code; } catch { return code; } };

// documentsOf lists a meeting's published documents: each title links to
// its file (hreflang: the file's language; the title may be written in
// another, so the text keeps the page's), then its symbol and language.
function documentsOf(m) {
  const docs = m.documents || [];
  if (!docs.length) return el("dd", { text: "None published yet" });
  return el("dd", {},
    el("ul", { class: "documents" }, docs.map((d) => el("li", {},
      el("a", { href: d.url, hreflang: d.language }, d.title),
      el("span", { class: "muted", text: [d.symbol, languageName(d.language)].filter(Boolean).map((x) => ` · ${x}`).join("") })))),
    el("a", { href: `/m/${encodeURIComponent(m.slug)}/documents` }, "All documents",
      el("span", { class: "visually-hidden", text: ` of ${m.title}` })));
}

function summaryOf(m) {
  if (!m.summary) return el("dd", { text: "Not circulated yet" });
  const s = m.summary;
  return el("dd", {},
    el("a", { href: s.url }, `Chair's summary`, el("span", { class: "visually-hidden", text: ` of ${m.title}` })),
    ` (version ${s.version}`, s.circulated_at ? `, circulated ${formatDate(s.circulated_at, false, m.timezone)}` : "", ") · ",
    el("a", { href: s.pdf }, "PDF", el("span", { class: "visually-hidden", text: ` of the Chair's summary of ${m.title}` })));
}

function meetingItem(m) {
  const href = `/m/${encodeURIComponent(m.slug)}/register`;
  return el("li", {},
    el("article", { class: "card", "aria-labelledby": `m-${m.id}` },
      el("p", { class: "muted", text: kindLabel(m.kind) }),
      el("h3", { id: `m-${m.id}` }, el("a", { href }, m.title)),
      el("dl", { class: "pairs" },
        el("dt", { text: "Dates" }), el("dd", { text: meetingDates(m) }),
        m.venue ? [el("dt", { text: "Venue" }), el("dd", { text: m.venue })] : null,
        el("dt", { text: "Documents" }), documentsOf(m),
        el("dt", { text: "Summary" }), summaryOf(m))));
}

async function load() {
  try {
    const p = await api("GET", `/api/processes/${encodeURIComponent(slug)}`);
    document.title = `${p.title} · Rostrum`;
    replace($("#title"), p.title);
    replace($("#acronym"), p.acronym ? `(${p.acronym})` : "");
    if (!p.meetings.length) say(status, "No meeting of this process has been announced yet.");
    replace(list, p.meetings.map(meetingItem));
  } catch (err) {
    showError(status, err);
  }
}

load();
