// The names of the values the API sends: stakeholder types, ECOSOC
// statuses, registration states and countries, each in display order, from
// GET /api/vocabulary (the server keeps the one list of each; the browser
// caches the answer). Importing this module waits for the list (top-level
// await), so a page never draws a key where a name belongs; should the
// request fail, names fall back to the keys. The names are in the page's
// language (?lang=).

import { lang } from "./i18n.js";

async function load() {
  try {
    const res = await fetch(`/api/vocabulary?lang=${encodeURIComponent(lang)}`, { headers: { Accept: "application/json" }, credentials: "omit" });
    if (res.ok) return await res.json();
  } catch {
    // fall through: keys stand in for names
  }
  return {};
}

const v = await load();

export const stakeholderTypes = v.stakeholder_types || [];       // [{key, label, group_label}]
export const registrationStatuses = v.registration_statuses || []; // [{key, label}]
export const ecosocStatuses = v.ecosoc_statuses || [];           // [{key, label}]
export const countries = v.countries || [];                      // [{code, name}]
export const meetingKinds = v.meeting_kinds || [];               // [{key, label}]
export const staffRoles = v.staff_roles || [];                   // [{key, label}]
// Participant categories: the States, then the stakeholder types, in the
// UN's order of precedence.
export const categories = v.categories || [];                    // [{key, label, group_label}]

const byKey = (list, key) => new Map(list.map((t) => [t[key], t]));
const types = byKey(stakeholderTypes, "key");
const cats = byKey(categories, "key");
const states = byKey(registrationStatuses, "key");
const ecosoc = byKey(ecosocStatuses, "key");
const countryByCode = byKey(countries, "code");
const kinds = byKey(meetingKinds, "key");

// kindLabel names a meeting's kind in its process ("Substantive session").
export function kindLabel(key) { return kinds.get(key)?.label || key || ""; }

// typeLabel names one organization's stakeholder type.
// A State's delegation has a category, not a stakeholder type.
export function typeLabel(key) { return types.get(key)?.label || cats.get(key)?.label || key || ""; }
// groupLabel names the organizations of a stakeholder type together.
export function groupLabel(key) { return types.get(key)?.group_label || cats.get(key)?.group_label || key || ""; }
// statusLabel names a registration state.
export function statusLabel(key) { return states.get(key)?.label || key || ""; }
// ecosocLabel names an ECOSOC consultative status.
export function ecosocLabel(key) { return ecosoc.get(key)?.label || key || ""; }
// countryName names an ISO 3166-1 alpha-2 code.
export function countryName(code) { return countryByCode.get(code)?.name || code || ""; }
// countryNameOr names code in the page's language, else as the server
// named it (in English), for a code the vocabulary lacks.
export function countryNameOr(code, name) { return countryByCode.get(code)?.name || name || code || ""; }
