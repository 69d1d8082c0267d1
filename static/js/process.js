// A process of several meetings: /p/{slug} lists its substantive
// sessions and intersessional meetings, earliest first, each with its
// dates in its own zone, its published documents and its circulated
// Chair's summary (GET /api/processes/{slug}).
import { $, api, el, formatDate, meetingDates, replace, say, showError } from "./api.js";
import { locale, t } from "./i18n.js";
import { kindLabel } from "./vocabulary.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const list = $("#meetings");
const status = $("#status");

// A document's language by name ("French"), in the page's language.
const languageNames = new Intl.DisplayNames([locale], { type: "language" });
const languageName = (code) => { try { return languageNames.of(code) || code; } catch { return code; } };
const numbers = new Intl.NumberFormat(locale);

// documentsOf lists a meeting's published documents: each title links to
// its file (hreflang: the file's language; the title may be written in
// another, so the text keeps the page's), then its symbol and language.
function documentsOf(m) {
  const docs = m.documents || [];
  if (!docs.length) return el("dd", { text: t("process.no_documents") });
  return el("dd", {},
    el("ul", { class: "documents" }, docs.map((d) => el("li", {},
      el("a", { href: d.url, hreflang: d.language }, d.title),
      el("span", { class: "muted", text: [d.symbol, languageName(d.language)].filter(Boolean).map((x) => ` · ${x}`).join("") })))),
    el("a", { href: `/m/${encodeURIComponent(m.slug)}/documents` }, t("process.all_documents"),
      el("span", { class: "visually-hidden", text: ` ${t("process.of_meeting", { Title: m.title })}` })));
}

function summaryOf(m) {
  if (!m.summary) return el("dd", { text: t("process.not_circulated") });
  const s = m.summary;
  return el("dd", {},
    el("a", { href: s.url }, t("nav.summary"), el("span", { class: "visually-hidden", text: ` ${t("process.of_meeting", { Title: m.title })}` })),
    " ", s.circulated_at
      ? t("process.version_circulated", { Version: numbers.format(s.version), Date: formatDate(s.circulated_at, false, m.timezone) })
      : t("process.version", { Version: numbers.format(s.version) }),
    " · ",
    el("a", { href: s.pdf }, "PDF", el("span", { class: "visually-hidden", text: ` ${t("process.summary_of", { Title: m.title })}` })));
}

function meetingItem(m) {
  const href = `/m/${encodeURIComponent(m.slug)}/register`;
  return el("li", {},
    el("article", { class: "card", "aria-labelledby": `m-${m.id}` },
      el("p", { class: "muted", text: kindLabel(m.kind) }),
      el("h3", { id: `m-${m.id}` }, el("a", { href }, m.title)),
      el("dl", { class: "pairs" },
        el("dt", { text: t("meeting.dates") }), el("dd", { text: meetingDates(m) }),
        m.venue ? [el("dt", { text: t("meeting.venue") }), el("dd", { text: m.venue })] : null,
        el("dt", { text: t("documents.heading") }), documentsOf(m),
        el("dt", { text: t("process.summary") }), summaryOf(m))));
}

async function load() {
  try {
    const p = await api("GET", `/api/processes/${encodeURIComponent(slug)}`);
    document.title = `${p.title} · Rostrum`;
    replace($("#title"), p.title);
    replace($("#acronym"), p.acronym ? `(${p.acronym})` : "");
    if (!p.meetings.length) say(status, t("process.none"));
    replace(list, p.meetings.map(meetingItem));
  } catch (err) {
    showError(status, err);
  }
}

load();
