// A meeting's document library: everyone sees the published documents;
// the secretariat also sees the unpublished ones, adds documents and
// publishes them.
import { api, el, replace, $, staffSession, upload, say, showError, clearFieldErrors } from "./api.js";
import { locale, n, t } from "./i18n.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const base = `/api/meetings/${encodeURIComponent(slug)}`;
let admin = false;

// A document's language by name ("French"), in the page's language.
const languageNames = new Intl.DisplayNames([locale], { type: "language" });
const languageName = (code) => { try { return languageNames.of(code) || code; } catch { return code; } };

// size is a file's size as the page's language writes it ("1.2 MB", "1,2 Mo").
const megabytes = new Intl.NumberFormat(locale, { style: "unit", unit: "megabyte", minimumFractionDigits: 1, maximumFractionDigits: 1 });
const kilobytes = new Intl.NumberFormat(locale, { style: "unit", unit: "kilobyte", maximumFractionDigits: 0 });
// "PDF, 1.2 MB", with the language's comma.
const formatAndSize = new Intl.ListFormat(locale, { type: "unit", style: "short" });
function size(bytes) {
  return bytes >= 1 << 20 ? megabytes.format(bytes / (1 << 20)) : kilobytes.format(Math.max(1, Math.round(bytes / 1024)));
}

async function show() {
  const { documents } = await api("GET", `${base}/documents`);
  const rows = documents.map((d) => el("tr", {},
    el("td", { text: d.symbol || "—" }),
    el("td", {}, d.title, d.published ? "" : el("span", { class: "badge pending", text: ` ${t("documents.unpublished")}` })),
    el("td", { text: languageName(d.language) }),
    el("td", {},
      el("a", { href: `${base}/documents/${d.id}/file`, text: formatAndSize.format([d.content_type === "application/pdf" ? "PDF" : "Word", size(d.size)]) }),
      admin && !d.published ? el("button", { type: "button", onclick: () => publish(d), text: t("documents.publish"), "aria-label": t("documents.publish_named", { Title: d.title }) }) : ""),
  ));
  replace($("#documents tbody"), rows);
  $("#documents").hidden = documents.length === 0;
  $("#documents-wrap").hidden = documents.length === 0;
  say($("#status"), documents.length ? n("documents.count", documents.length) : t("documents.none"));
}

async function publish(d) {
  try {
    await api("POST", `${base}/documents/${d.id}/publish`);
    await show();
  } catch (err) { showError($("#status"), err); }
}

async function start() {
  try {
    const m = await api("GET", base);
    $("#title").textContent = `${t("documents.heading")} · ${m.title}`;
    document.title = `${t("documents.heading")} · ${m.title} · Rostrum`;
  } catch { /* the list says what is wrong */ }
  const me = await staffSession().catch(() => null);
  admin = !!(me && me.user && me.user.role === "admin");
  $("#upload").hidden = !admin;
  $("#upload-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const form = ev.target;
    clearFieldErrors(form);
    try {
      const d = await upload(`${base}/documents`, new FormData(form));
      say($("#upload-msg"), t("documents.uploaded", { Title: d.title }), "ok");
      form.reset();
      await show();
    } catch (err) { showError($("#upload-msg"), err, form); }
  });
  await show();
}

start().catch((err) => say($("#status"), t("documents.load_failed", { Error: err.message }), "error"));
