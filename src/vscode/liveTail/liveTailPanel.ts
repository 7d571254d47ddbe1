import * as vscode from 'vscode';
import { LiveTail, type LiveTailStats } from '../../core/nats/liveTail';
import { toDisplayTail } from '../../core/nats/messageDisplay';
import type { NatsSession } from '../../core/nats/session';
import { describeError } from '../commandRunner';
import { restoreAttribute } from '../webview/panelState';
import { webviewHtml, webviewOptions } from '../webview/webviewHtml';

export const LIVE_TAIL_VIEW = 'natsK3s.liveTail';

/** What the page keeps so the tail can be started again after a window reload. */
export interface LiveTailState {
  readonly connectionId: string;
  readonly subject: string;
}

type Request = { type: 'ready' | 'pause' | 'resume' | 'clear' } | { type: 'copy'; id: number };

/** Newest messages the page keeps; the core's ring holds the same number. */
const CAPACITY = 500;

/**
 * A live, bounded tail of a subject or wildcard in a webview: only messages newer than the last one sent cross to
 * the page, at most a few times a second, and the page drops the oldest beyond CAPACITY. Closing the panel stops
 * the subscription.
 */
export class LiveTailPanel implements vscode.Disposable {
  private readonly tail: LiveTail;
  private sentUpTo = -1;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly updated = new vscode.EventEmitter<LiveTailStats>();
  /** Fires after each batch reaches the page (and once more when the tail stops), with the tail's figures. */
  readonly onDidUpdate = this.updated.event;

  static show(extensionUri: vscode.Uri, session: NatsSession, subject: string, connectionId: string): LiveTailPanel {
    const panel = vscode.window.createWebviewPanel(
      LIVE_TAIL_VIEW,
      `Tail ${subject} · ${session.name}`,
      vscode.ViewColumn.Active,
      webviewOptions(extensionUri),
    );
    return new LiveTailPanel(panel, extensionUri, session, subject, connectionId);
  }

  /** Fills a panel VS Code restored after a reload with a new tail of `subject` (messages from before are gone). */
  static adopt(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    session: NatsSession,
    subject: string,
    connectionId: string,
  ): LiveTailPanel {
    return new LiveTailPanel(panel, extensionUri, session, subject, connectionId);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    session: NatsSession,
    readonly subject: string,
    connectionId: string,
  ) {
    panel.iconPath = new vscode.ThemeIcon('pulse');
    this.tail = new LiveTail(session, subject, { capacity: CAPACITY });
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = webviewHtml(panel.webview, extensionUri, {
      title: `Tail ${subject}`,
      scripts: ['media/messageCard.js', 'media/liveTail.js'],
      styles: ['dist/codicons/codicon.css', 'media/messageBrowser.css'],
      body: `<main id="app" ${restoreAttribute({ connectionId, subject } satisfies LiveTailState)}></main>`,
    });
    const stopListening = this.tail.onChange(() => void this.push());
    this.disposables.push(
      { dispose: stopListening },
      panel.webview.onDidReceiveMessage((m: Request) => this.handle(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private handle(request: Request): void {
    try {
      switch (request.type) {
        case 'ready':
          // A page that was hidden is rebuilt (retainContextWhenHidden is off), so it gets every kept message again.
          this.sentUpTo = -1;
          this.tail.start();
          return void this.push();
        case 'pause':
          return void this.tail.pause();
        case 'resume':
          return void this.tail.resume();
        case 'clear':
          this.tail.clear();
          return void this.panel.webview.postMessage({ type: 'cleared' });
        case 'copy': {
          const m = this.tail.messages().find((x) => x.index === request.id);
          if (m) void vscode.env.clipboard.writeText(m.payload.text ?? toDisplayTail(m).hex);
          return;
        }
      }
    } catch (err) {
      void this.panel.webview.postMessage({ type: 'error', message: describeError(err) });
    }
  }

  private async push(): Promise<void> {
    const fresh = this.tail.messages().filter((m) => m.index > this.sentUpTo);
    if (fresh.length) this.sentUpTo = fresh[fresh.length - 1]!.index;
    const stats = this.tail.stats();
    // A batch scheduled just before the panel closed has nowhere to go.
    if (this.disposed) return;
    await this.panel.webview.postMessage({
      type: 'messages',
      subject: this.subject,
      capacity: CAPACITY,
      stats,
      messages: fresh.map(toDisplayTail),
    });
    this.updated.fire(stats);
  }

  /** The tail's figures: whether it is subscribed, how many messages arrived. */
  stats(): LiveTailStats {
    return this.tail.stats();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.tail.stop();
    this.updated.fire(this.tail.stats());
    for (const d of this.disposables.splice(0)) d.dispose();
    this.updated.dispose();
  }
}
