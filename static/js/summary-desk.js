// The secretariat's summary desk: build a draft from the record, edit it
// with a preview, compare revisions, approve, circulate and follow the
// circulation's progress.
import { api, el, login, slug, when } from './summary-common.js';
import { accountBar } from './staff.js';
import { locale, n, t } from './i18n.js';

const base = `/api/meetings/${encodeURIComponent(slug)}`;
const $ = (id) => document.getElementById(id);
let current = null; // the open version
let meeting = null; // whose zone the times are shown in
let previewTimer = 0;
let pollTimer = 0;
let canEdit = false; // only an admin builds, saves, approves and circulates

// The text typed into a draft and not yet saved is kept in this browser
// (localStorage, per meeting and version) so that it survives a reload or
// a crash; saving forgets it.
const draftKey = (version) => `rostrum:desk:${slug}:${version}`;

function unsaved() {
  return !!current && current.state === 'draft' && canEdit && $('markdown').value !== current.markdown;
}

// ask shows the confirmation dialog and resolves true on its yes button.
// A dialog's close event is queued, not dispatched at once, so the close
// of an earlier question can arrive after the next one is open (a quick
// Cancel, then Approve again): each question answers only to its own
// close, and an earlier one's is taken as its "no".
let asked = 0;
function ask(title, text, yes) {
  const d = $('confirm');
  const question = ++asked;
  $('confirm-h').textContent = title;
  $('confirm-text').textContent = text;
  $('confirm-yes').textContent = yes;
  d.returnValue = '';
  d.showModal();
  return new Promise((resolve) => {
    const closed = () => {
      const current = question === asked;
      if (current && d.open) return; // the earlier question's close
      d.removeEventListener('close', closed);
      resolve(current && d.returnValue === 'yes');
    };
    d.addEventListener('close', closed);
  });
}

function say(text, isError = false) {
  $('desk-status').textContent = text;
  $('desk-status').dataset.state = isError ? 'error' : 'ok';
}

async function guard(fn) {
  try { await fn(); } catch (err) { say(err.message, true); }
}

async function loadVersions() {
  const out = await api('GET', `${base}/summary`);
  const body = $('versions');
  body.replaceChildren();
  for (const v of out.versions) {
    body.append(el('tr', { 'data-version': v.version },
      el('td', {}, String(v.version)), el('td', { class: `state ${v.state}` }, t(`desk.state.${v.state}`)), el('td', {}, v.author),
      el('td', {}, when(v.updated_at, meeting)), el('td', {}, String(v.revisions)),
      el('td', {}, el('button', { type: 'button', class: 'open', onclick: () => guard(() => open(v.version)) }, t("desk.open_version", { Version: v.version })))));
  }
  return out.versions;
}

async function open(version) {
  current = await api('GET', `${base}/summary/${version}`);
  $('version').hidden = false;
  $('version-h').textContent = t("desk.version_state", { Version: current.version, State: t(`desk.state.${current.state}`) });
  $('markdown').value = current.markdown;
  const draft = current.state === 'draft';
  $('draft-note').textContent = '';
  const kept = draft && canEdit ? localStorage.getItem(draftKey(current.version)) : null;
  if (kept !== null && kept !== current.markdown) {
    $('markdown').value = kept;
    $('draft-note').textContent = t("desk.restored");
  } else if (kept !== null) {
    localStorage.removeItem(draftKey(current.version));
  }
  $('markdown').readOnly = !draft || !canEdit;
  showConflicts();
  $('save').disabled = !draft;
  $('approve').disabled = !draft;
  $('circulate').disabled = current.state !== 'approved';
  for (const f of ['md', 'html', 'pdf', 'docx']) $(`doc-${f}`).href = `${base}/summary/${current.version}.${f}`;
  await preview();
  await loadRevisions();
  $('diff').replaceChildren();
  if (current.circulation_id) await poll(current.circulation_id);
  else { $('progress').hidden = true; }
}

// A merge conflict is marked by HTML comments (summary/merge.go); the
// version cannot be approved until none remain.
const conflictMarker = /^<!-- (?:end of )?conflict (\d+)(?::[^\n]*)? -->$/;

// showConflicts lists the conflicts left in the text, each with a button
// that selects its first marker in the editor.
function showConflicts() {
  const ta = $('markdown');
  const found = [];
  const seen = new Set();
  let offset = 0;
  ta.value.split('\n').forEach((line, i) => {
    const m = conflictMarker.exec(line.trim());
    if (m && !seen.has(m[1])) {
      seen.add(m[1]);
      found.push({ number: m[1], line: i, start: offset, end: offset + line.length });
    }
    offset += line.length + 1;
  });
  $('conflicts').hidden = found.length === 0;
  $('conflicts-count').textContent = n("desk.conflicts", found.length);
  $('conflicts-list').replaceChildren(...found.map((c) => el('li', {},
    el('button', { type: 'button', class: 'jump', onclick: () => jump(c) }, t("desk.go_to_conflict", { Number: c.number, Line: c.line + 1 })))));
}

function jump(c) {
  const ta = $('markdown');
  ta.focus();
  ta.setSelectionRange(c.start, c.end);
  const lineHeight = parseFloat(getComputedStyle(ta).lineHeight) || 20;
  ta.scrollTop = Math.max(0, (c.line - 2) * lineHeight);
}

async function preview() {
  const out = await api('POST', `${base}/summary/preview`, { markdown: $('markdown').value });
  // The server's renderer escapes all text; its HTML holds no script.
  $('preview').innerHTML = out.html;
}

async function loadRevisions() {
  const out = await api('GET', `${base}/summary/${current.version}/revisions`);
  const ol = $('revisions');
  ol.replaceChildren();
  $('diff-from').replaceChildren();
  $('diff-to').replaceChildren();
  for (const r of out.revisions) {
    ol.append(el('li', { value: r.revision }, t("desk.revision_by", { Revision: r.revision, Author: r.author, When: when(r.created_at, meeting) })));
    $('diff-from').append(el('option', { value: r.revision }, String(r.revision)));
    $('diff-to').append(el('option', { value: r.revision }, String(r.revision)));
  }
  const count = out.revisions.length;
  if (count > 1) $('diff-from').value = String(out.revisions[count - 2].revision);
  if (count > 0) $('diff-to').value = String(out.revisions[count - 1].revision);
}

async function compare() {
  const out = await api('GET', `${base}/summary/${current.version}/diff?from=${$('diff-from').value}&to=${$('diff-to').value}`);
  const pre = $('diff');
  pre.replaceChildren();
  for (const line of out.diff.split('\n')) {
    const cls = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
    pre.append(el('span', { class: cls }, line), '\n');
  }
  if (!out.diff) pre.append(t("desk.no_difference"));
}

async function save() {
  current = await api('PUT', `${base}/summary/${current.version}`, { markdown: $('markdown').value });
  if ($('markdown').value === current.markdown) localStorage.removeItem(draftKey(current.version));
  $('draft-note').textContent = '';
  say(t("desk.saved", { Version: current.version, Revision: current.revisions }));
  await loadRevisions();
  await loadVersions();
}

async function approve() {
  const ok = await ask(t("desk.approve_q", { Version: current.version }), t("desk.approve_text"), t("desk.approve_yes"));
  if (!ok) { say(t("desk.not_approved")); return; }
  if ($('markdown').value !== current.markdown) await save();
  await api('POST', `${base}/summary/${current.version}/approve`);
  say(t("desk.approved", { Version: current.version }));
  await loadVersions();
  await open(current.version);
}

async function build() {
  const v = await api('POST', `${base}/summary`);
  const conflicts = (v.conflicts || []).length;
  say(conflicts ? n("desk.built_conflicts", conflicts, { Version: v.version }) : t("desk.built", { Version: v.version }));
  await loadVersions();
  await open(v.version);
}

async function circulate() {
  const extra = $('extra').value.split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean);
  // The consequence, counted now: every approved participant gets a mail.
  const m = await api('GET', base);
  const approved = (m.counts && m.counts.approved) || 0;
  const who = { People: n("desk.participants", approved), Others: n("desk.other_addresses", extra.length) };
  const ok = extra.length
    ? await ask(t("desk.circulate_q", { Version: current.version }), t("desk.circulate_text_extra", who), t("desk.circulate_yes_extra", who))
    : await ask(t("desk.circulate_q", { Version: current.version }), t("desk.circulate_text", who), t("desk.circulate_yes", who));
  if (!ok) { say(t("desk.not_circulated")); return; }
  const out = await api('POST', `${base}/summary/${current.version}/circulate`, { extra });
  say(n("desk.circulating", out.total, { Version: current.version }));
  await loadVersions();
  $('circulate').disabled = true;
  await loadCirculations();
  await poll(out.id);
}

function showProgress(c) {
  $('progress').hidden = false;
  $('progress').dataset.circulation = c.id;
  $('progress-bar').max = c.total;
  $('progress-bar').value = c.sent;
  $('progress-text').textContent = t("desk.progress", { Sent: c.sent, Total: c.total, Failed: c.failed, Pending: c.pending });
  $('progress-text').dataset.sent = c.sent;
  $('progress-text').dataset.total = c.total;
  $('resend').disabled = c.failed === 0;
  const body = $('recipients');
  body.replaceChildren();
  for (const r of c.recipients) {
    body.append(el('tr', {}, el('td', {}, r.address), el('td', { class: `state ${r.status}` }, t(`desk.recipient.${r.status}`)),
      el('td', {}, String(r.attempts)), el('td', {}, r.last_error)));
  }
}

// poll follows a circulation until nothing is pending.
async function poll(id) {
  clearTimeout(pollTimer);
  const c = await api('GET', `${base}/circulations/${id}`);
  showProgress(c);
  if (c.pending > 0) pollTimer = setTimeout(() => guard(() => poll(id)), 1000);
}

async function resend() {
  const id = $('progress').dataset.circulation;
  const c = await api('POST', `${base}/circulations/${id}/resend`);
  showProgress(c);
  await poll(id);
}

// countdown says how long until t: "in 2 days 3 h", "in 4 min 10 s".
function countdown(t) {
  let s = Math.max(0, Math.round((Date.parse(t) - Date.now()) / 1000));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  if (d > 0) return n("desk.in_days", d, { Hours: h });
  if (h > 0) return t("desk.in_hours", { Hours: h, Minutes: m });
  if (m > 0) return t("desk.in_minutes", { Minutes: m, Seconds: s });
  return s > 0 ? t("desk.in_seconds", { Seconds: s }) : t("desk.now");
}

let circulations = [];
// "letter 3 and summary version 2", joined as the page's language joins.
const and = new Intl.ListFormat(locale, { type: 'conjunction' });

// loadCirculations lists the meeting's circulations; the scheduled ones
// count down to their time, every second.
async function loadCirculations() {
  circulations = (await api('GET', `${base}/circulations`)).circulations;
  const body = $('circulations');
  body.replaceChildren();
  for (const c of circulations) {
    const what = and.format([c.letter ? t("desk.what_letter", { Number: c.letter }) : '', c.version ? t("desk.what_summary", { Version: c.version }) : ''].filter(Boolean))
      || t("desk.what_documents");
    const goes = c.state === 'scheduled'
      ? el('span', {}, when(c.send_at, meeting), ' · ', el('span', { class: 'countdown', 'data-at': c.send_at }, countdown(c.send_at)))
      : (c.sent_at ? when(c.sent_at, meeting) : '—');
    body.append(el('tr', { 'data-circulation': c.id },
      el('td', {}, String(c.id)), el('td', {}, what), el('td', { class: `state ${c.state}` }, t(`desk.circulation_state.${c.state}`)), el('td', {}, goes),
      el('td', {}, String(c.total)),
      el('td', {}, c.state === 'scheduled'
        ? el('button', { type: 'button', onclick: () => guard(() => cancel(c.id)) }, t("desk.cancel_circulation", { Number: c.id })) : '')));
  }
}

async function cancel(id) {
  await api('DELETE', `${base}/circulations/${id}`);
  say(t("desk.cancelled", { Number: id }));
  await loadCirculations();
}

function tick() {
  let due = false;
  for (const span of document.querySelectorAll('#circulations .countdown')) {
    span.textContent = countdown(span.dataset.at);
    due = due || Date.parse(span.dataset.at) <= Date.now();
  }
  // Once one is due, read the list again to show it sent.
  if (due) guard(loadCirculations);
}

async function main() {
  const user = await login();
  await accountBar(document.querySelector('header.bar'));
  canEdit = user && user.role === 'admin';
  for (const n of document.querySelectorAll('.admin-only')) n.hidden = !canEdit;
  $('role-note').hidden = canEdit;
  meeting = await api('GET', base);
  $('meeting-title').textContent = `· ${meeting.title}`;
  $('desk').hidden = false;
  $('build').addEventListener('click', () => guard(build));
  $('save').addEventListener('click', () => guard(save));
  $('approve').addEventListener('click', () => guard(approve));
  $('compare').addEventListener('click', () => guard(compare));
  $('circulate').addEventListener('click', () => guard(circulate));
  $('resend').addEventListener('click', () => guard(resend));
  $('markdown').addEventListener('input', () => {
    if (current && canEdit) localStorage.setItem(draftKey(current.version), $('markdown').value);
    showConflicts();
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => guard(preview), 400);
  });
  // Leaving with unsaved edits asks first (the text is also kept above).
  window.addEventListener('beforeunload', (ev) => {
    if (!unsaved()) return;
    ev.preventDefault();
    ev.returnValue = '';
  });
  const versions = await loadVersions();
  if (versions.length) await open(versions[0].version);
  await loadCirculations();
  setInterval(tick, 1000);
  say(t("desk.ready"));
}

main().catch((err) => say(err.message, true));
