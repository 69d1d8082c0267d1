// The check-in page at the door: /m/{slug}/checkin, for registrars (and
// the secretariat) on their phones. A participant is checked in by
// scanning the QR code of their approval mail, page or badge (with the
// browser's BarcodeDetector, where it has one), by typing the code
// printed under it, or by searching their name or organization. Every way
// ends in one call, POST …/checkins, and one full-screen answer: green
// (admitted), amber (already checked in: the first time is shown), red
// (refused: not approved, or no such code). Several registrars may work
// at once: the server admits a participant once, and the count of
// checked-in participants over approved ones follows their work by
// asking GET …/attendance every few seconds (and after each check-in).
import { $, api, ApiError, el, meetingTime, replace, say, setCSRF, staffSession } from "./api.js";
import { locale, n, t } from "./i18n.js";
import { typeLabel } from "./vocabulary.js";

const slug = decodeURIComponent(location.pathname.split("/")[2] || "");
const base = `/api/meetings/${encodeURIComponent(slug)}`;
const message = $("#door-message");
const answer = $("#answer");
let meeting = null;
let shown = null;        // the registration on the answer screen, for undo
let busy = false;        // a check-in is on its way: scans wait
let lastScan = { code: "", at: 0 };
const countEvery = 4000; // ms between counts while the page is open
const searchLimit = 20;  // names a search shows at most
const numbers = new Intl.NumberFormat(locale);

// ---- the answer -----------------------------------------------------------

function orgLine(r) {
  const o = r.organization || {};
  return [o.name, typeLabel(o.type)].filter(Boolean).join(" · ");
}

function showAnswer(kind, title, r, detail) {
  answer.dataset.kind = kind;
  replace($("#answer-title"), title);
  replace($("#answer-name"), r ? r.name : "");
  replace($("#answer-org"), r ? orgLine(r) : "");
  replace($("#answer-detail"), detail || "");
  shown = kind === "ok" || kind === "again" ? r : null;
  $("#answer-undo").hidden = !shown;
  answer.hidden = false;
  $("#answer-next").focus();
}

function closeAnswer() {
  answer.hidden = true;
  answer.dataset.kind = "";
  shown = null;
  busy = false;
  const q = $("#code");
  q.value = "";
  q.focus();
}

$("#answer-next").addEventListener("click", closeAnswer);
document.addEventListener("keydown", (ev) => {
  if (!answer.hidden && ev.key === "Escape") closeAnswer();
});

$("#answer-undo").addEventListener("click", async () => {
  if (!shown) return;
  const r = shown;
  try {
    const out = await api("DELETE", `${base}/checkins/${r.id}`);
    showCount(out.counts);
    closeAnswer();
    say(message, t("checkin.undone", { Name: r.name }), "success");
  } catch (err) {
    closeAnswer();
    say(message, err.message, "error");
  }
});

// checkIn is every way's one path: a scanned or typed code, or a
// registration chosen from the search.
async function checkIn(body) {
  if (busy) return;
  busy = true;
  say(message, "");
  try {
    const out = await api("POST", `${base}/checkins`, body);
    showCount(out.counts);
    const r = out.registration;
    if (out.first) {
      showAnswer("ok", t("checkin.welcome"), r, t("checkin.done"));
    } else {
      showAnswer("again", t("checkin.already"), r, t("checkin.first_at", { Time: meetingTime(meeting, r.checked_in_at) }));
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) showAnswer("refused", t("checkin.not_admitted"), null, err.message);
    else if (err instanceof ApiError && err.status === 404) showAnswer("refused", t("checkin.unknown_code"), null, t("checkin.no_such_code"));
    else if (err instanceof ApiError && err.status === 422) { busy = false; say(message, t("checkin.type_code"), "error"); }
    else showAnswer("refused", t("checkin.not_checked_in"), null, err.message);
  }
}

// The scanner and a test hand a decoded code to the page the same way.
document.addEventListener("rostrum:decoded", (ev) => {
  const code = String(ev.detail || "").trim();
  const now = Date.now();
  // A code held in front of the camera is seen many times a second.
  if (!code || busy || !answer.hidden || (code === lastScan.code && now - lastScan.at < 4000)) return;
  lastScan = { code, at: now };
  checkIn({ code });
});

$("#code-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  checkIn({ code: $("#code").value });
});

// ---- search ---------------------------------------------------------------

$("#search-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const q = $("#q").value.trim();
  if (q.length < 2) { replace($("#search-status"), t("checkin.too_short")); return; }
  replace($("#search-status"), t("checkin.searching"));
  try {
    const { registrations } = await api("GET", `${base}/registrations?limit=${searchLimit}&q=${encodeURIComponent(q)}`);
    const regs = registrations || [];
    replace($("#search-status"), regs.length === searchLimit ? t("checkin.found_first", { Count: numbers.format(regs.length) }) : regs.length ? n("checkin.found", regs.length) : t("checkin.nobody"));
    replace($("#results"), regs.map(resultRow));
  } catch (err) {
    replace($("#search-status"), err.message);
  }
});

function resultRow(r) {
  const state = r.status !== "approved" ? t(`status.${r.status}`) : r.checked_in_at ? t("checkin.state_checked_in") : "";
  return el("li", { "data-id": r.id },
    el("div", { class: "who" }, r.name, state && ` (${state})`, el("span", { text: orgLine(r) })),
    el("button", { type: "button", class: "small", onclick: () => checkIn({ registration_id: r.id }) },
      t("checkin.check_in"), el("span", { class: "visually-hidden", text: ` ${r.name}` })));
}

// ---- the count --------------------------------------------------------------

function showCount(c) {
  if (!c) return;
  replace($("#door-count"), t("checkin.count", { Count: numbers.format(c.checked_in), Approved: numbers.format(c.approved) }));
}

async function count() {
  try {
    const a = await api("GET", `${base}/attendance`);
    showCount(a);
  } catch {
    // the next round tries again; the page keeps its last count
  }
}

// ---- the camera -------------------------------------------------------------

let stream = null;
let scanning = false;

async function startCamera() {
  const video = $("#scan-video");
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  } catch (err) {
    say(message, t("checkin.no_camera"), "error");
    return;
  }
  video.srcObject = stream;
  video.hidden = false;
  await video.play();
  $("#scan-start").hidden = true;
  $("#scan-stop").hidden = false;
  scanning = true;
  const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  const look = async () => {
    if (!scanning) return;
    try {
      if (answer.hidden && !busy) {
        const found = await detector.detect(video);
        if (found.length) document.dispatchEvent(new CustomEvent("rostrum:decoded", { detail: found[0].rawValue }));
      }
    } catch {
      // a frame the detector could not read: try the next
    }
    setTimeout(look, 250);
  };
  look();
}

function stopCamera() {
  scanning = false;
  if (stream) for (const track of stream.getTracks()) track.stop();
  stream = null;
  $("#scan-video").hidden = true;
  $("#scan-start").hidden = false;
  $("#scan-stop").hidden = true;
}

$("#scan-start").addEventListener("click", startCamera);
$("#scan-stop").addEventListener("click", stopCamera);

// ---- start ------------------------------------------------------------------

async function begin(me) {
  if (!["registrar", "admin"].includes(me.user.role)) {
    $("#door").hidden = false;
    say(message, t("checkin.wrong_role", { Role: t(`staff.role.${me.user.role}`) }), "error");
    for (const f of document.querySelectorAll("#door form, #scan-section")) f.hidden = true;
    return;
  }
  $("#door").hidden = false;
  // The camera is offered only where the browser can read QR codes.
  if ("BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    try {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      $("#scan-section").hidden = !formats.includes("qr_code");
    } catch { /* no scanner: search and typing remain */ }
  }
  await count();
  setInterval(count, countEvery);
  $("#code").focus();
}

async function start() {
  try {
    meeting = await api("GET", base);
    replace($("#meeting-title"), meeting.title);
  } catch (err) {
    replace($("#door-count"), "");
    $("#door").hidden = false;
    say(message, err.message, "error");
    return;
  }
  const me = await staffSession();
  if (me) { begin(me); return; }
  replace($("#door-count"), "");
  $("#login").hidden = false;
  $("#login-email").focus();
}

$("#login").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  replace($("#login-error"), "");
  try {
    const me = await api("POST", "/api/login", { email: $("#login-email").value, password: $("#login-password").value });
    setCSRF(me.csrf_token);
    $("#login").hidden = true;
    begin(me);
  } catch (err) {
    say($("#login-error"), err.status === 401 ? t("checkin.wrong_login") : err.message, "error");
  }
});

start();
