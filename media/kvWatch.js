// The KV watch page: appends the changes the extension sends, newest at the top, keeping at most `capacity` cards.
// DEL and PURGE entries carry no value, so their cards show only the operation.
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
  const ENDED = { stopped: 'stopped', limit: 'stopped at its limit (close and watch again)', closed: 'ended: the connection closed' };
  const { status, list } = liveFeed(app, send);

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type !== 'entries') return;
    if (m.reset) list.replaceChildren();
    for (const entry of m.entries) {
      const card = renderMessage(entry, (/** @type {number} */ id) => send({ type: 'copy', id }));
      if (entry.label !== 'PUT') card.classList.add('removed');
      if (entry.initial) card.classList.add('initial');
      list.prepend(card);
    }
    while (list.childElementCount > m.capacity) list.lastElementChild?.remove();
    const s = m.stats;
    // @ts-ignore: indexed by the extension's reason names
    const state = s.ended ? ENDED[s.ended] : s.paused ? `paused (${s.skippedWhilePaused} not kept)` : 'watching';
    status.textContent = `${m.title} · ${s.received} entries · ${state}${s.error ? ` · ${s.error}` : ''} · showing the newest ${list.childElementCount}`;
    status.className = s.error ? 'status error' : 'status';
  });
  send({ type: 'ready' });
})();
