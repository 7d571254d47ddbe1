// The message browser's page. It renders what the extension sends as text only (textContent, never innerHTML),
// so a payload such as <img src=x onerror=...> is shown, not interpreted.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));

  /** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node|string)[]} [children] */
  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
    return node;
  }
  /** @param {string} icon @param {string} title @param {() => void} onClick */
  function button(icon, title, onClick) {
    const b = el('button', { title, 'aria-label': title, class: 'icon-button' }, [el('span', { class: `codicon codicon-${icon}` })]);
    b.addEventListener('click', onClick);
    return b;
  }
  const send = (/** @type {object} */ m) => vscode.postMessage(m);

  const status = el('div', { class: 'status', role: 'status' });
  const list = el('div', { class: 'messages' });
  const seqInput = /** @type {HTMLInputElement} */ (el('input', { type: 'number', min: '0', placeholder: 'sequence', 'aria-label': 'Jump to sequence' }));
  const timeInput = /** @type {HTMLInputElement} */ (el('input', { type: 'datetime-local', step: '1', 'aria-label': 'Jump to time' }));
  const subjectInput = /** @type {HTMLInputElement} */ (el('input', { type: 'text', placeholder: 'filter subject, e.g. orders.eu.>', 'aria-label': 'Filter by subject' }));
  const older = button('chevron-left', 'Older messages', () => send({ type: 'older' }));
  const newer = button('chevron-right', 'Newer messages', () => send({ type: 'newer' }));

  seqInput.addEventListener('keydown', (e) => e.key === 'Enter' && send({ type: 'jumpSeq', seq: Number(seqInput.value) }));
  timeInput.addEventListener('change', () => timeInput.value && send({ type: 'jumpTime', time: new Date(timeInput.value).toISOString() }));
  subjectInput.addEventListener('keydown', (e) => e.key === 'Enter' && send({ type: 'filter', subject: subjectInput.value }));

  app.append(
    el('div', { class: 'toolbar' }, [
      button('debug-step-back', 'First messages', () => send({ type: 'first' })),
      older,
      newer,
      button('debug-continue', 'Newest messages', () => send({ type: 'last' })),
      seqInput,
      timeInput,
      subjectInput,
    ]),
    status,
    list,
  );

  /** @param {any} m */
  function renderMessage(m) {
    const views = /** @type {Record<string,string>} */ ({});
    if (m.json !== undefined) views.JSON = m.json;
    if (m.text !== undefined) views.Text = m.text;
    views.Hex = m.hex;
    let current = Object.keys(views)[0];
    const pre = el('pre', { class: 'payload' });
    const tabs = el('div', { class: 'tabs', role: 'tablist' });
    const show = () => {
      pre.textContent = views[current] + (m.truncated ? `\n… (${m.size} bytes in all)` : '');
      for (const t of tabs.children) t.setAttribute('aria-selected', String(t.textContent === current));
    };
    for (const name of Object.keys(views)) {
      const t = el('button', { class: 'tab', role: 'tab' }, [name]);
      t.addEventListener('click', () => {
        current = name;
        show();
      });
      tabs.append(t);
    }
    show();
    const head = el('div', { class: 'message-head' }, [
      el('span', { class: 'seq' }, [`#${m.seq}`]),
      el('span', { class: 'subject' }, [m.subject]),
      el('span', { class: 'time' }, [m.time]),
      el('span', { class: 'size' }, [`${m.size} B`]),
      button('copy', 'Copy payload', () => send({ type: 'copy', seq: m.seq })),
    ]);
    const headers = m.headers.length
      ? el('table', { class: 'headers' }, m.headers.map((/** @type {[string,string]} */ [k, v]) => el('tr', {}, [el('th', {}, [k]), el('td', {}, [v])])))
      : '';
    return el('article', { class: 'message', 'data-seq': String(m.seq) }, [head, headers, tabs, pre]);
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'page') {
      list.replaceChildren(...m.messages.map(renderMessage));
      const shown = m.messages.length ? `messages ${m.messages[0].seq}–${m.messages[m.messages.length - 1].seq}` : 'no messages here';
      status.textContent = `${m.stream}${m.subject ? ` · ${m.subject}` : ''} · ${shown} · stream holds ${m.firstSeq}–${m.lastSeq}`;
      status.className = 'status';
      older.toggleAttribute('disabled', !m.hasOlder);
      newer.toggleAttribute('disabled', !m.hasNewer);
    } else if (m.type === 'error' || m.type === 'note') {
      status.textContent = m.message;
      status.className = m.type === 'error' ? 'status error' : 'status';
    }
  });
  send({ type: 'ready' });
})();
