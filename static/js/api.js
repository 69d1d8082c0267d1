// Shared helpers for Rostrum's pages: the JSON API client, a DOM builder
// that only ever sets text (so anything a person typed is shown as text,
// never parsed as HTML), form helpers and field-error rendering.

import { lang, locale, t } from "./i18n.js";

let csrfToken = "";

// setCSRF remembers the token from POST /api/login or GET /api/me; api()
// sends it as X-CSRF-Token on every state-changing request.
export function setCSRF(token) { csrfToken = token || ""; }

// staffSession asks GET /api/me who is logged in; it remembers the CSRF
// token and answers {csrf_token, user: {email, role}}, or null when nobody
// is (staff pages then send the reader to /admin to log in).
export async function staffSession() {
  try {
    const me = await api("GET", "/api/me");
    setCSRF(me.csrf_token);
    return me;
  } catch (err) {
    if (err.status === 401) return null;
    throw err;
  }
}

// ApiError is a failed API call: status, the server's message and its
// field errors ({"organization.country": "..."}).
export class ApiError extends Error {
  constructor(status, message, fields, code) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fields = fields || {};
    this.code = code || "";
  }
}

// pageLanguage asks the server to answer in the page's language: a
// request with a participant's or a mission's token carries no cookie,
// so the reader's choice would otherwise be lost (errors, countries).
function pageLanguage() {
  const lang = document.documentElement.lang;
  return lang ? { "Accept-Language": lang } : {};
}

// api calls the JSON API. body (if any) is sent as JSON; opts.token sends
// a participant's token as a bearer token (and no cookie). It resolves to the decoded JSON
// answer (null for an empty one) and rejects with an ApiError.
export async function api(method, path, body, opts = {}) {
  const headers = { Accept: "application/json", ...pageLanguage() };
  if (body !== undefined && body !== null) headers["Content-Type"] = "application/json";
  if (csrfToken && method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrfToken;
  if (opts.token) headers.Authorization = "Bearer " + opts.token;
  return send(path, {
    method,
    headers,
    body: body === undefined || body === null ? undefined : JSON.stringify(body),
    // A participant's request carries only their token: a staff session
    // cookie in the same browser would otherwise take precedence.
    credentials: opts.token ? "omit" : "same-origin",
  });
}

// send fetches path and reads the JSON answer: the decoded body, or an
// ApiError with the server's message (ours when it gave none).
async function send(path, init) {
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, t("error.unreachable"));
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!res.ok) {
    const msg = (data && data.error) || t("error.failed", { Status: res.status });
    throw new ApiError(res.status, msg, data && data.fields, data && data.code);
  }
  return data;
}

// upload posts a multipart form (files included) as staff, with the CSRF
// token, and answers as api() does.
export async function upload(path, formData) {
  return send(path, {
    method: "POST", body: formData, credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRF-Token": csrfToken, ...pageLanguage() },
  });
}

// el builds an element. attrs: class, text, and any attribute; on* keys
// that hold functions become event listeners; true/false toggle boolean
// attributes. children are nodes or strings (added as text nodes).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = String(v);
    else if (k === "class") node.className = v;
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (v === true) node.setAttribute(k, "");
    else node.setAttribute(k, String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false || c === "") continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// replace empties node and appends children.
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// $ finds one element (throws if absent, so a renamed id fails loudly).
export function $(selector, root = document) {
  const n = root.querySelector(selector);
  if (!n) throw new Error("missing element " + selector);
  return n;
}

// badge shows a registration state as text with a colour.
export function badge(state) {
  return el("span", { class: "badge " + state, text: t("status." + state) });
}

// formatDate shows an RFC 3339 time in the reader's locale, in timeZone
// (an IANA name: the meeting's, so that every reader sees the times the
// meeting keeps; the reader's own when none is given).
export function formatDate(s, withTime = false, timeZone = undefined) {
  if (!s) return "";
  const d = new Date(s);
  if (isNaN(d)) return s;
  const opts = withTime
    ? { dateStyle: "medium", timeStyle: "short" }
    : { dateStyle: "long" };
  return new Intl.DateTimeFormat(locale, { ...opts, timeZone: zoneOf(timeZone) }).format(d);
}

function zoneOf(tz) {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: tz });
    return tz;
  } catch {
    return "UTC";
  }
}

// zoneName names meeting m's zone as it is at time s (its start by
// default): "New York time (EST)" (api.zone). The city is the server's
// zone_city (the UN city of the zone: Geneva for Europe/Zurich), else the
// IANA name's. Other languages than English name the zone by its offset,
// as the server does ("UTC−05:00"): the cities are known by English names
// only, and a page must not name a zone two ways.
export function zoneName(m, s = m.starts_at) {
  const tz = zoneOf(m.timezone) || "UTC";
  if (tz === "UTC") return "UTC";
  const city = m.zone_city || tz.slice(tz.lastIndexOf("/") + 1).replaceAll("_", " ");
  const d = s ? new Date(s) : new Date();
  if (lang !== "en") {
    // The offset is written the server's one way whatever the language:
    // Intl's own names differ ("GMT-5" in Spanish).
    const off = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "longOffset" })
      .formatToParts(isNaN(d) ? new Date() : d).find((p) => p.type === "timeZoneName")?.value || "GMT";
    return off === "GMT" ? "UTC" : off.replace("GMT", "UTC").replace("-", "−");
  }
  const abbr = new Intl.DateTimeFormat(locale, { timeZone: tz, timeZoneName: "short" })
    .formatToParts(isNaN(d) ? new Date() : d).find((p) => p.type === "timeZoneName")?.value;
  return abbr ? t("api.zone", { City: city, Abbr: abbr }) : t("api.zone_city", { City: city });
}

// meetingDates shows meeting m's days in its zone, with the zone named:
// "December 2 – 4, 2019, New York time (EST)".
export function meetingDates(m) {
  const a = new Date(m.starts_at), b = new Date(m.ends_at);
  if (isNaN(a) || isNaN(b)) return "";
  const f = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: zoneOf(m.timezone) || "UTC" });
  return t("date.with_zone", { Dates: f.formatRange(a, b), Zone: zoneName(m) });
}

// meetingTime shows time s of meeting m in its zone, with the zone named.
export function meetingTime(m, s) {
  if (!s) return "";
  return `${formatDate(s, true, zoneOf(m.timezone) || "UTC")} ${zoneName(m, s)}`;
}

// wallClock turns an RFC 3339 time into a datetime-local value in zone tz:
// the time as the meeting keeps it, which the server reads back in the
// same zone.
export function wallClock(s, tz) {
  if (!s) return "";
  const d = new Date(s);
  if (isNaN(d)) return "";
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone: zoneOf(tz) || "UTC", hourCycle: "h23",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
  }).formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

// fieldKey is the JSON path of a form control: its data-field attribute
// when the form's plain (no-script) post uses another name, else its name.
// Dotted keys nest: "organization.name" → {organization: {name}}. The API
// reports field errors under the same keys.
function fieldKey(field) { return field.dataset.field || field.name; }

// formJSON reads a form into an object keyed by fieldKey; checkboxes
// become booleans and number inputs numbers.
export function formJSON(form) {
  const out = {};
  for (const field of form.elements) {
    if (!field.name || field.disabled || field.type === "submit" || field.type === "button") continue;
    if (field.type === "radio" && !field.checked) continue;
    let v;
    if (field.type === "checkbox") v = field.checked;
    else if (field.type === "number") v = field.value === "" ? 0 : Number(field.value);
    else v = field.value.trim();
    const keys = fieldKey(field).split(".");
    let o = out;
    for (const k of keys.slice(0, -1)) o = o[k] ??= {};
    o[keys[keys.length - 1]] = v;
  }
  return out;
}

// fillForm sets the form's fields from an object (dotted names as above).
export function fillForm(form, data) {
  for (const field of form.elements) {
    if (!field.name) continue;
    const v = fieldKey(field).split(".").reduce((o, k) => (o == null ? undefined : o[k]), data);
    if (v === undefined || v === null) continue;
    if (field.type === "checkbox") field.checked = Boolean(v);
    else if (field.type === "radio") field.checked = field.value === String(v);
    else field.value = String(v);
  }
}

// clearFieldErrors removes the errors showFieldErrors added.
export function clearFieldErrors(form) {
  for (const n of form.querySelectorAll(".field-error[data-for]")) n.remove();
  for (const f of form.querySelectorAll("[aria-invalid]")) {
    f.removeAttribute("aria-invalid");
    const ids = (f.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => id && !id.startsWith("err-"));
    if (ids.length) f.setAttribute("aria-describedby", ids.join(" "));
    else f.removeAttribute("aria-describedby");
  }
}

// showFieldErrors puts each message beside its field (matched by
// fieldKey, at the end of the control's .field wrapper), marks the field
// aria-invalid and links the message with aria-describedby. It returns the messages no field matched and the
// first invalid field (to move focus to).
export function showFieldErrors(form, fields) {
  clearFieldErrors(form);
  const unmatched = [];
  let first = null;
  for (const [name, message] of Object.entries(fields || {})) {
    const key = CSS.escape(name);
    const input = form.querySelector(`[data-field="${key}"]`) || form.querySelector(`[name="${key}"]:not([data-field])`);
    if (!input) { unmatched.push([name, message]); continue; }
    const id = "err-" + name.replace(/[^a-zA-Z0-9_-]/g, "-");
    const msg = el("span", { class: "field-error", id, "data-for": name, text: message });
    const wrap = input.closest(".field") || input.parentElement;
    wrap.append(msg);
    input.setAttribute("aria-invalid", "true");
    const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
    input.setAttribute("aria-describedby", [...ids, id].join(" "));
    if (!first || (first.compareDocumentPosition(input) & Node.DOCUMENT_POSITION_PRECEDING)) first = input;
  }
  return { unmatched, first };
}

// fieldLabels are the catalogue's names of the fields a participant's
// form sends, by their API key.
const fieldLabels = {
  name: "field.name", email: "field.email", job_title: "field.job_title", language: "field.language",
  consent: "field.consent", consent_version: "field.consent_version", organization: "field.organization",
  "organization.name": "field.org_name", "organization.acronym": "field.acronym", "organization.type": "field.type",
  "organization.country": "field.country", "organization.website": "field.website",
  "organization.ecosoc_status": "field.ecosoc", "organization.description": "field.org_description",
};

// labelFor names an API field key in the page's language; a key the
// catalogue does not name (a staff form's) is shown as its words
// ("signature.titles" → "signature titles").
export function labelFor(key) {
  return key in fieldLabels ? t(fieldLabels[key]) : key.replace(/[._]/g, " ");
}

// say writes a message into a live region (role="status" or "alert");
// kind picks the notice style: "", "success", "error", "warning".
export function say(region, message, kind = "") {
  region.className = "notice" + (kind ? " " + kind : "");
  replace(region, message);
}

// showError reports an ApiError: field errors beside their fields (when
// a form is given) and the message in the region; focus goes to the first
// invalid field, or to the region.
export function showError(region, err, form) {
  let first = null;
  let unmatched = [];
  if (form && err instanceof ApiError && err.fields) {
    ({ first, unmatched } = showFieldErrors(form, err.fields));
  }
  const msg = err instanceof ApiError ? err.message : t("error.generic", { Error: err });
  const extra = unmatched.map(([k, v]) => t("api.field_error", { Field: labelFor(k), Message: v }));
  say(region, extra.length ? el("div", {}, el("p", { text: msg }), el("ul", {}, extra.map((line) => el("li", { text: line })))) : msg, "error");
  if (first) first.focus();
  else { region.tabIndex = -1; region.focus(); }
}
