// The secretariat's summary desk: build a draft from the record, edit it
// with a preview, compare revisions, approve, circulate and follow the
// circulation's progress.
import { api, el, login, slug, when } from './summary-common.js';
import { accountBar } from './staff.js';

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
const draftKey = (n) => `rostrum:desk:${slug}:${n}`;

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
      el('td', {}, String(v.version)), el('td', { class: `state ${v.state}` }, v.state), el('td', {}, v.author),
      el('td', {}, when(v.updated_at, meeting)), el('td', {}, String(v.revisions)),
      el('td', {}, el('button', { type: 'button', class: 'open', onclick: () => guard(() => open(v.version)) }, `Open version ${v.version}`))));
  }
  return out.versions;
}

async function open(n) {
  current = await api('GET', `${base}/summary/${n}`);
  $('version').hidden = false;
  $('version-h').textContent = `Version ${current.version} · ${current.state}`;
  $('markdown').value = current.markdown;
  const draft = current.state === 'draft';
  $('draft-note').textContent = '';
  const kept = draft && canEdit ? localStorage.getItem(draftKey(current.version)) : null;
  if (kept !== null && kept !== current.markdown) {
    $('markdown').value = kept;
    $('draft-note').textContent = 'Your unsaved text from this browser is restored; save it to keep it.';
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
  $('conflicts-count').textContent = found.length === 1
    ? '1 conflict between the secretariat\'s edits and the new draft: keep one text and delete its markers before approving.'
    : `${found.length} conflicts between the secretariat's edits and the new draft: keep one text of each and delete the markers before approving.`;
  $('conflicts-list').replaceChildren(...found.map((c) => el('li', {},
    el('button', { type: 'button', class: 'jump', onclick: () => jump(c) }, `Go to conflict ${c.number} (line ${c.line + 1})`))));
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
    ol.append(el('li', { value: r.revision }, `Revision ${r.revision} by ${r.author}, ${when(r.created_at, meeting)}`));
    $('diff-from').append(el('option', { value: r.revision }, String(r.revision)));
    $('diff-to').append(el('option', { value: r.revision }, String(r.revision)));
  }
  const n = out.revisions.length;
  if (n > 1) $('diff-from').value = String(out.revisions[n - 2].revision);
  if (n > 0) $('diff-to').value = String(out.revisions[n - 1].revision);
}

async function compare() {
  const out = await api('GET', `${base}/summary/${current.version}/diff?from=${$('diff-from').value}&to=${$('diff-to').value}`);
  const pre = $('diff');
  pre.replaceChildren();
  for (const line of out.diff.split('\n')) {
    const cls = line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : line.startsWith('@@') ? 'hunk' : '';
    pre.append(el('span', { class: cls }, line), '\n');
  }
  if (!out.diff) pre.append('No difference.');
}

async function save() {
  current = await api('PUT', `${base}/summary/${current.version}`, { markdown: $('markdown').value });
  if ($('markdown').value === current.markdown) localStorage.removeItem(draftKey(current.version));
  $('draft-note').textContent = '';
  say(`Saved version ${current.version} (revision ${current.revisions}).`);
  await loadRevisions();
  await loadVersions();
}

async function approve() {
  const ok = await ask(`Approve version ${current.version}?`,
    'Approving freezes this version: nobody can change it afterwards, and it can then be circulated.',
    'Approve and freeze');
  if (!ok) { say('Not approved.'); return; }
  if ($('markdown').value !== current.markdown) await save();
  await api('POST', `${base}/summary/${current.version}/approve`);
  say(`Version ${current.version} approved: it can no longer be changed.`);
  await loadVersions();
  await open(current.version);
}

async function build() {
  const v = await api('POST', `${base}/summary`);
  const n = (v.conflicts || []).length;
  say(`Built version ${v.version} from the record, with the edits of the version before${n ? ` (${n} conflict${n > 1 ? 's' : ''} to resolve)` : ''}.`);
  await loadVersions();
  await open(v.version);
}

async function circulate() {
  const extra = $('extra').value.split(/[\n,;]+/).map((s) => s.trim()).filter(Boolean);
  // The consequence, counted now: every approved participant gets a mail.
  const m = await api('GET', base);
  const n = (m.counts && m.counts.approved) || 0;
  const people = `${n} participant${n === 1 ? '' : 's'}`;
  const others = extra.length ? ` and ${extra.length} other address${extra.length === 1 ? '' : 'es'}` : '';
  const ok = await ask(`Circulate version ${current.version}?`,
    `This mails ${people}${others} at once, with the summary attached. It cannot be called back.`,
    `Mail ${people}${others}`);
  if (!ok) { say('Not circulated.'); return; }
  const out = await api('POST', `${base}/summary/${current.version}/circulate`, { extra });
  say(`Circulating version ${current.version} to ${out.total} recipients.`);
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
  $('progress-text').textContent = `${c.sent} of ${c.total} sent · ${c.failed} failed · ${c.pending} pending`;
  $('progress-text').dataset.sent = c.sent;
  $('progress-text').dataset.total = c.total;
  $('resend').disabled = c.failed === 0;
  const body = $('recipients');
  body.replaceChildren();
  for (const r of c.recipients) {
    body.append(el('tr', {}, el('td', {}, r.address), el('td', { class: `state ${r.status}` }, r.status),
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
  if (d > 0) return `in ${d} day${d === 1 ? '' : 's'} ${h} h`;
  if (h > 0) return `in ${h} h ${m} min`;
  if (m > 0) return `in ${m} min ${s} s`;
  return s > 0 ? `in ${s} s` : 'now';
}

let circulations = [];

// loadCirculations lists the meeting's circulations; the scheduled ones
// count down to their time, every second.
async function loadCirculations() {
  circulations = (await api('GET', `${base}/circulations`)).circulations;
  const body = $('circulations');
  body.replaceChildren();
  for (const c of circulations) {
    const what = [c.letter ? `letter ${c.letter}` : '', c.version ? `summary version ${c.version}` : ''].filter(Boolean).join(' and ') || 'documents';
    const goes = c.state === 'scheduled'
      ? el('span', {}, when(c.send_at, meeting), ' · ', el('span', { class: 'countdown', 'data-at': c.send_at }, countdown(c.send_at)))
      : (c.sent_at ? when(c.sent_at, meeting) : '—');
    body.append(el('tr', { 'data-circulation': c.id },
      el('td', {}, String(c.id)), el('td', {}, what), el('td', { class: `state ${c.state}` }, c.state), el('td', {}, goes),
      el('td', {}, String(c.total)),
      el('td', {}, c.state === 'scheduled'
        ? el('button', { type: 'button', onclick: () => guard(() => cancel(c.id)) }, `Cancel circulation ${c.id}`) : '')));
  }
}

async function cancel(id) {
  await api('DELETE', `${base}/circulations/${id}`);
  say(`Circulation ${id} cancelled.`);
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
  say('Ready.');
}

main().catch((err) => say(err.message, true));
