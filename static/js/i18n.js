// The page's words: the message catalogue of the page's language, which
// the server embeds in every page it renders (<script id="i18n">, the
// same catalogue as GET /i18n/{lang}.json and the server's own). A
// message's {{.Name}} fields are filled from data; a plural message has
// one text per CLDR plural form, chosen by Intl.PluralRules.

const node = document.getElementById("i18n");
// A page that embeds none reads English's, both sets (a staff page's).
const catalogue = node ? JSON.parse(node.textContent) : await fetchCatalogue("staff/en");

async function fetchCatalogue(path) {
  try {
    const res = await fetch(`/i18n/${path}.json`, { headers: { Accept: "application/json" }, credentials: "omit" });
    if (res.ok) return await res.json();
  } catch {
    // fall through: ids stand in for words
  }
  return {};
}

// lang is the page's language ("ar", "fr", ...), from <html lang>.
export const lang = document.documentElement.lang || "en";

// locale is the language as Intl takes it. Arabic is written with the
// digits 0–9, as United Nations documents in Arabic are (and as the
// server writes it).
export const locale = lang === "ar" ? "ar-u-nu-latn" : lang;

const plurals = new Intl.PluralRules(locale);
const numbers = new Intl.NumberFormat(locale);

function fill(text, data) {
  return text.replace(/\{\{\s*\.(\w+)\s*\}\}/g, (_, k) => (k in data ? String(data[k]) : ""));
}

// t is message id with data's fields filled in (the id itself when the
// catalogue lacks it, which a server test forbids).
export function t(id, data = {}) {
  const m = catalogue[id];
  if (typeof m === "string") return fill(m, data);
  if (m && typeof m === "object") return fill(m.other ?? "", data);
  return id;
}

// n is plural message id for count; {{.Count}} is count as the language
// writes numbers.
export function n(id, count, data = {}) {
  const m = catalogue[id];
  const d = { ...data, Count: numbers.format(count) };
  if (m && typeof m === "object") return fill(m[plurals.select(count)] ?? m.other ?? "", d);
  return typeof m === "string" ? fill(m, d) : id;
}

// parts is message id split around its fields, each field replaced by
// data's value as it is (a node stays a node): for el()'s children, so
// that a name can be set in <strong> or <bdi> inside a translated sentence.
export function parts(id, data = {}) {
  const m = catalogue[id];
  const text = typeof m === "string" ? m : id;
  const out = [];
  let last = 0;
  for (const match of text.matchAll(/\{\{\s*\.(\w+)\s*\}\}/g)) {
    out.push(text.slice(last, match.index), data[match[1]] ?? "");
    last = match.index + match[0].length;
  }
  out.push(text.slice(last));
  return out;
}
