// A meeting's document library: everyone sees the published documents;
// the secretariat also sees the unpublished ones, adds documents and
// publishes them.
import { api, el, replace, $, staffSession, upload, say, showError, clearFieldErrors } from "./api.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const base = `/api/meetings/${encodeURIComponent(slug)}`;
const languages = { ar: "Arabic", zh: "Chinese", en: "English", fr: "French", ru: "Russian", es: "Spanish" };
let admin = false;

function size(n) {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}

async function show() {
  const { documents } = await api("GET", `${base}/documents`);
  const rows = documents.map((d) => el("tr", {},
    el("td", { text: d.symbol || "—" }),
    el("td", {}, d.title, d.published ? "" : el("span", { class: "badge pending", text: " unpublished" })),
    el("td", { text: languages[d.language] || d.language }),
    el("td", {},
      el("a", { href: `${base}/documents/${d.id}/file`, text: `${d.content_type === "application/pdf" ? "PDF" : "Word"}, ${size(d.size)}` }),
      admin && !d.published ? el("button", { type: "button", onclick: () => publish(d), text: "Publish", "aria-label": `Publish ${d.title}` }) : ""),
  ));
  replace($("#documents tbody"), rows);
  $("#documents").hidden = documents.length === 0;
  say($("#status"), documents.length ? `${documents.length} document${documents.length === 1 ? "" : "s"}.` : "No documents have been published yet.");
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
    $("#title").textContent = `Documents · ${m.title}`;
    document.title = `Documents · ${m.title} · Rostrum`;
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
      say($("#upload-msg"), `Uploaded “${d.title}”. Publish it when it is ready.`, "ok");
      form.reset();
      await show();
    } catch (err) { showError($("#upload-msg"), err, form); }
  });
  await show();
}

start().catch((err) => say($("#status"), `The documents could not be loaded: ${err.message}`, "error"));
