// The message browser's page. It renders what the extension sends as text only (textContent, never innerHTML),
// so a payload such as <img src=x onerror=...> is shown, not interpreted.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  // What the panel shows, kept by VS Code across a window reload so the extension can open it again.
  if (app.dataset.restore) vscode.setState(JSON.parse(app.dataset.restore));

  // @ts-ignore: defined by messageCard.js, loaded first
  const { el, button, renderMessage } = window.NatsK3sCards;
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

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'page') {
      list.replaceChildren(...m.messages.map((/** @type {any} */ msg) => renderMessage(msg, (/** @type {number} */ seq) => send({ type: 'copy', seq }))));
      const shown = m.messages.length ? `messages ${m.messages[0].id}–${m.messages[m.messages.length - 1].id}` : 'no messages here';
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
