// The public page of a meeting's Chair's summary: the latest circulated
// version, readable, with its documents.
const slug = decodeURIComponent(location.pathname.split('/')[2] || '');
const base = `/api/meetings/${encodeURIComponent(slug)}/summary`;
const main = document.getElementById('summary');

async function show() {
  const res = await fetch(`${base}/latest`);
  if (res.status === 404) {
    main.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'No summary of this meeting has been circulated yet.' }));
    return;
  }
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const v = await res.json();
  document.title = `Chair's Summary · ${v.title}`;
  // The server's renderer escapes every piece of text; its HTML holds no script.
  main.innerHTML = v.html;
  for (const f of ['pdf', 'docx', 'md']) {
    const a = document.getElementById(`doc-${f}`);
    a.href = `${base}/${v.version}.${f}`;
  }
  document.getElementById('downloads').hidden = false;
}

show().catch((err) => { main.textContent = `The summary could not be loaded: ${err.message}`; });
