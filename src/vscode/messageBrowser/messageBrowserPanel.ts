import * as vscode from 'vscode';
import { readLastPage, readPageBefore, readPageFrom, seqAtTime, type MessagePage } from '../../core/nats/messagePager';
import { toDisplayMessage } from '../../core/nats/messageDisplay';
import type { NatsSession } from '../../core/nats/session';
import { describeError } from '../commandRunner';
import { restoreAttribute } from '../webview/panelState';
import { webviewHtml, webviewOptions } from '../webview/webviewHtml';

export const MESSAGE_BROWSER_VIEW = 'natsK3s.messageBrowser';

/** What the page keeps (VS Code's webview state) so the panel can be rebuilt after a window reload. */
export interface MessageBrowserState {
  readonly connectionId: string;
  readonly stream: string;
}

/** What the page's script may ask for. Anything else is ignored. */
type Request =
  | { type: 'ready' | 'first' | 'last' | 'older' | 'newer' }
  | { type: 'jumpSeq'; seq: number }
  | { type: 'jumpTime'; time: string }
  | { type: 'filter'; subject: string }
  | { type: 'copy'; seq: number };

const PAGE_SIZE = 25;

/**
 * The message browser of one stream: a webview that pages by sequence (forward, back, jump to a sequence or a
 * time), filters by subject and shows headers and payloads. The page only ever receives plain strings and renders
 * them as text; this side does all NATS work. One panel per connection and stream, revealed when opened again.
 */
export class MessageBrowserPanel implements vscode.Disposable {
  private static readonly open = new Map<string, MessageBrowserPanel>();
  private page: MessagePage | undefined;
  private subject = '';
  private readonly disposables: vscode.Disposable[] = [];

  static show(
    extensionUri: vscode.Uri,
    session: NatsSession,
    stream: string,
    connectionId: string,
  ): MessageBrowserPanel {
    const existing = MessageBrowserPanel.open.get(`${session.name}\u0000${stream}`);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      MESSAGE_BROWSER_VIEW,
      `${stream} · ${session.name}`,
      vscode.ViewColumn.Active,
      webviewOptions(extensionUri),
    );
    return MessageBrowserPanel.adopt(panel, extensionUri, session, stream, connectionId);
  }

  /** Fills `panel` (a new one, or one VS Code restored after a reload) with the browser of `stream`. */
  static adopt(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    session: NatsSession,
    stream: string,
    connectionId: string,
  ): MessageBrowserPanel {
    const key = `${session.name}\u0000${stream}`;
    const browser = new MessageBrowserPanel(panel, extensionUri, session, stream, connectionId, () =>
      MessageBrowserPanel.open.delete(key),
    );
    MessageBrowserPanel.open.set(key, browser);
    return browser;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly session: NatsSession,
    readonly stream: string,
    connectionId: string,
    onClosed: () => void,
  ) {
    panel.iconPath = new vscode.ThemeIcon('layers');
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, {
      title: `Messages of ${stream}`,
      scripts: ['media/messageCard.js', 'media/messageBrowser.js'],
      styles: ['dist/codicons/codicon.css', 'media/messageBrowser.css'],
      body: `<main id="app" ${restoreAttribute({ connectionId, stream } satisfies MessageBrowserState)}></main>`,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: Request) => void this.handle(m)),
      panel.onDidDispose(() => {
        onClosed();
        this.dispose();
      }),
    );
  }

  private async handle(request: Request): Promise<void> {
    try {
      const query = { limit: PAGE_SIZE, subject: this.subject || undefined };
      const s = this.session;
      switch (request.type) {
        case 'ready':
        case 'last':
          return this.post(await readLastPage(s, this.stream, query));
        case 'first':
          return this.post(await readPageFrom(s, this.stream, 0, query));
        case 'older':
          return this.post(
            await readPageBefore(s, this.stream, this.page?.messages[0]?.seq ?? Number.MAX_SAFE_INTEGER, query),
          );
        case 'newer': {
          const last = this.page?.messages.at(-1)?.seq;
          return this.post(
            last === undefined
              ? await readLastPage(s, this.stream, query)
              : await readPageFrom(s, this.stream, last + 1, query),
          );
        }
        case 'jumpSeq':
          if (!Number.isSafeInteger(request.seq) || request.seq < 0) throw new Error('a sequence is a whole number');
          return this.post(await readPageFrom(s, this.stream, request.seq, query));
        case 'jumpTime': {
          const time = new Date(request.time);
          if (Number.isNaN(time.getTime())) throw new Error(`'${request.time}' is not a date and time`);
          const seq = await seqAtTime(s, this.stream, time, query.subject);
          if (seq === undefined) return this.note(`No message at or after ${time.toISOString()}.`);
          return this.post(await readPageFrom(s, this.stream, seq, query));
        }
        case 'filter':
          this.subject = String(request.subject ?? '').trim();
          return this.post(await readLastPage(s, this.stream, { ...query, subject: this.subject || undefined }));
        case 'copy': {
          const m = this.page?.messages.find((x) => x.seq === request.seq);
          if (!m) return;
          const d = toDisplayMessage(m);
          await vscode.env.clipboard.writeText(d.text ?? d.hex);
          return this.note(`Copied message ${m.seq}.`);
        }
      }
    } catch (err) {
      await this.panel.webview.postMessage({ type: 'error', message: describeError(err) });
    }
  }

  private async post(page: MessagePage): Promise<void> {
    this.page = page;
    await this.panel.webview.postMessage({
      type: 'page',
      stream: page.stream,
      subject: this.subject,
      firstSeq: page.streamFirstSeq,
      lastSeq: page.streamLastSeq,
      hasOlder: page.hasOlder,
      hasNewer: page.hasNewer,
      messages: page.messages.map(toDisplayMessage),
    });
  }

  private async note(text: string): Promise<void> {
    await this.panel.webview.postMessage({ type: 'note', message: text });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
