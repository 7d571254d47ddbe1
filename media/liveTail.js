// The live tail's page: appends what the extension sends, newest at the top, keeping at most `capacity` cards.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  // @ts-ignore: defined by messageCard.js, loaded first
  const { renderMessage, liveFeed } = window.NatsK3sCards;
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  // What the panel shows, kept by VS Code across a window reload so the extension can open it again.
  if (app.dataset.restore) vscode.setState(JSON.parse(app.dataset.restore));
  const send = (/** @type {object} */ m) => vscode.postMessage(m);
  const { status, list } = liveFeed(app, send);

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'messages') {
      for (const msg of m.messages) list.prepend(renderMessage(msg, (/** @type {number} */ id) => send({ type: 'copy', id })));
      while (list.childElementCount > m.capacity) list.lastElementChild?.remove();
      const s = m.stats;
      status.textContent = `${m.subject} · ${s.received} received${s.paused ? ` · paused (${s.skippedWhilePaused} not kept)` : ''}${s.running ? '' : ' · stopped'}${s.error ? ` · ${s.error}` : ''} · showing the newest ${list.childElementCount}`;
      status.className = s.error ? 'status error' : 'status';
    } else if (m.type === 'cleared') {
      list.replaceChildren();
    } else if (m.type === 'error') {
      status.textContent = m.message;
      status.className = 'status error';
    }
  });
  send({ type: 'ready' });
})();
