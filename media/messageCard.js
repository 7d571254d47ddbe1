// Shared by the message browser and the live tail: builds DOM with textContent only, never innerHTML, so a
// payload such as <img src=x onerror=...> is shown, not interpreted.
// @ts-check
(function () {
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

  /** One message as a card; `id` is its sequence or tail index, `onCopy` gets it. @param {any} m @param {(id: number) => void} onCopy */
  function renderMessage(m, onCopy) {
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
      el('span', { class: 'seq' }, [`#${m.id}`]),
      ...(m.label ? [el('span', { class: `label label-${String(m.label).toLowerCase()}` }, [m.label])] : []),
      el('span', { class: 'subject' }, [m.subject]),
      el('span', { class: 'time' }, [m.time]),
      el('span', { class: 'size' }, [`${m.size} B`]),
      button('copy', 'Copy payload', () => onCopy(m.id)),
    ]);
    const headers = m.headers.length
      ? el('table', { class: 'headers' }, m.headers.map((/** @type {[string,string]} */ [k, v]) => el('tr', {}, [el('th', {}, [k]), el('td', {}, [v])])))
      : '';
    return el('article', { class: 'message', 'data-seq': String(m.id) }, [head, headers, tabs, pre]);
  }

  /**
   * The frame of a live page (tail, KV watch): Pause/Resume and Clear, a status line and the card list, appended to
   * `app`; the buttons post `pause`, `resume` and `clear` through `send`.
   * @param {HTMLElement} app @param {(m: object) => void} send
   */
  function liveFeed(app, send) {
    let paused = false;
    const status = el('div', { class: 'status', role: 'status' });
    const list = el('div', { class: 'messages' });
    const pause = button('debug-pause', 'Pause', () => {
      paused = !paused;
      send({ type: paused ? 'pause' : 'resume' });
      pause.replaceChildren(el('span', { class: `codicon codicon-${paused ? 'debug-start' : 'debug-pause'}` }));
      pause.title = paused ? 'Resume' : 'Pause';
    });
    app.append(el('div', { class: 'toolbar' }, [pause, button('clear-all', 'Clear', () => send({ type: 'clear' }))]), status, list);
    return { status, list };
  }

  // @ts-ignore: the pages' shared namespace
  window.NatsK3sCards = { el, button, renderMessage, liveFeed };
})();
