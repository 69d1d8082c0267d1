// Shared by the notes page and the summary desk: the meeting's slug from
// the address, JSON calls with the staff session's CSRF token, and a
// login form when the session is missing.

import { formatDate, meetingTime } from './api.js';

export const slug = decodeURIComponent(location.pathname.split('/')[2] || '');

let csrf = '';

export class HTTPError extends Error {
  constructor(status, body) {
    super((body && body.error) || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

// api calls the JSON API; it throws HTTPError for answers >= 400 and
// TypeError when the network is down.
export async function api(method, path, body) {
  const opts = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  if (method !== 'GET' && csrf) opts.headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, opts);
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { error: text }; }
  if (!res.ok) throw new HTTPError(res.status, data);
  return data;
}

// el builds an element; children are nodes or strings (always text).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// login resolves once a staff session exists, showing the form in
// #login when needed.
export async function login() {
  try {
    const me = await api('GET', '/api/me');
    csrf = me.csrf_token;
    return me.user;
  } catch (err) {
    if (!(err instanceof HTTPError) || err.status !== 401) throw err;
  }
  const box = document.getElementById('login');
  box.hidden = false;
  return new Promise((resolve) => {
    const form = box.querySelector('form');
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const msg = box.querySelector('.error');
      msg.textContent = '';
      try {
        const out = await api('POST', '/api/login', {
          email: form.elements.email.value, password: form.elements.password.value,
        });
        csrf = out.csrf_token;
        box.hidden = true;
        resolve(out.user);
      } catch (err2) {
        msg.textContent = err2.message;
      }
    });
  });
}

// when shows time t in meeting m's zone, with the zone named (once the
// page knows the meeting; in the reader's zone before).
export function when(t, m) {
  if (!t) return '';
  return m ? meetingTime(m, t) : formatDate(t, true);
}
