import * as vscode from 'vscode';
import { watchBucket, type KvEntryView, type KvWatchHandle, type WatchEvent } from '../../core/nats/kvBrowser';
import { toDisplayKvEntry } from '../../core/nats/messageDisplay';
import type { NatsSession } from '../../core/nats/session';
import { describeError } from '../commandRunner';
import { restoreAttribute } from '../webview/panelState';
import { webviewHtml, webviewOptions } from '../webview/webviewHtml';

export const KV_WATCH_VIEW = 'natsK3s.kvWatch';

/** What the page keeps so the watch can be started again after a window reload. */
export interface KvWatchState {
  readonly connectionId: string;
  readonly bucket: string;
  readonly prefix?: string;
}

type Request = { type: 'ready' | 'pause' | 'resume' | 'clear' } | { type: 'copy'; id: number };

/** Newest entries kept here and on the page; older ones are dropped, whatever the bucket's traffic. */
const CAPACITY = 500;
/** The watch ends by itself after this many changes or this long; the page says which. */
const MAX_ENTRIES = 100_000;
const MAX_DURATION_MS = 30 * 60_000;
/** Changes reach the page at most this often. */
const PUSH_MS = 200;

export interface KvWatchStats {
  readonly running: boolean;
  readonly paused: boolean;
  /** Entries the watch delivered, the initial values included. */
  readonly received: number;
  /** Entries that arrived while paused, counted and not kept. */
  readonly skippedWhilePaused: number;
  /** Why the watch ended, once it has. */
  readonly ended?: 'stopped' | 'limit' | 'closed';
  readonly error?: string;
}

interface Row {
  readonly index: number;
  readonly entry: KvEntryView;
  readonly initial: boolean;
}

/**
 * A live, bounded view of a KV bucket or key prefix in a webview: the current values first, then every PUT, DEL
 * and PURGE as it happens. The watch starts with the panel (so nothing is missed while the page loads) and stops
 * when the panel closes; only the newest CAPACITY entries are kept.
 */
export class KvWatchPanel implements vscode.Disposable {
  private rows: Row[] = [];
  private index = 0;
  private sentUpTo = -1;
  private received = 0;
  private skipped = 0;
  private paused = false;
  private ended: KvWatchStats['ended'];
  private error: string | undefined;
  private handle: KvWatchHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly updated = new vscode.EventEmitter<KvWatchStats>();
  /** Fires after each batch of changes is handled (and when the watch ends), with the watch's figures. */
  readonly onDidUpdate = this.updated.event;

  static show(
    extensionUri: vscode.Uri,
    session: NatsSession,
    connectionId: string,
    bucket: string,
    prefix?: string,
  ): KvWatchPanel {
    const title = `Watch ${bucket}${prefix ? ` ${prefix}.>` : ''} · ${session.name}`;
    const panel = vscode.window.createWebviewPanel(
      KV_WATCH_VIEW,
      title,
      vscode.ViewColumn.Active,
      webviewOptions(extensionUri),
    );
    return new KvWatchPanel(panel, extensionUri, session, connectionId, bucket, prefix);
  }

  /** Fills a panel VS Code restored after a reload with a new watch (current values first, as when it opened). */
  static adopt(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    session: NatsSession,
    connectionId: string,
    bucket: string,
    prefix?: string,
  ): KvWatchPanel {
    return new KvWatchPanel(panel, extensionUri, session, connectionId, bucket, prefix);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    session: NatsSession,
    connectionId: string,
    readonly bucket: string,
    readonly prefix: string | undefined,
  ) {
    panel.iconPath = new vscode.ThemeIcon('eye');
    panel.webview.options = webviewOptions(extensionUri);
    const state: KvWatchState = { connectionId, bucket, ...(prefix ? { prefix } : {}) };
    panel.webview.html = webviewHtml(panel.webview, extensionUri, {
      title: `Watch ${bucket}`,
      scripts: ['media/messageCard.js', 'media/kvWatch.js'],
      styles: ['dist/codicons/codicon.css', 'media/messageBrowser.css'],
      body: `<main id="app" ${restoreAttribute(state)}></main>`,
    });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: Request) => this.onRequest(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    void this.start(session);
  }

  stats(): KvWatchStats {
    return {
      running: this.handle !== undefined && this.ended === undefined,
      paused: this.paused,
      received: this.received,
      skippedWhilePaused: this.skipped,
      ended: this.ended,
      error: this.error,
    };
  }

  /** The kept entries, oldest first. */
  entries(): KvEntryView[] {
    return this.rows.slice(-CAPACITY).map((r) => r.entry);
  }

  private async start(session: NatsSession): Promise<void> {
    try {
      const handle = await watchBucket(session, this.bucket, (e) => this.onEvent(e), {
        prefix: this.prefix,
        maxEntries: MAX_ENTRIES,
        maxDurationMs: MAX_DURATION_MS,
      });
      if (this.disposed) return void (await handle.stop());
      this.handle = handle;
      void handle.done.then((reason) => {
        this.ended = reason;
        this.schedule();
      });
    } catch (err) {
      this.error = describeError(err, session.name);
      this.ended = 'closed';
    }
    this.schedule();
  }

  private onEvent(e: WatchEvent): void {
    this.received++;
    if (this.paused) {
      this.skipped++;
      return;
    }
    this.rows.push({ index: this.index++, entry: e.entry, initial: e.initial });
    // Trimmed in batches, so a busy bucket does not shift the array on every entry.
    if (this.rows.length > CAPACITY * 1.2) this.rows = this.rows.slice(-CAPACITY);
    this.schedule();
  }

  private onRequest(request: Request): void {
    switch (request.type) {
      case 'ready':
        // A page that was hidden is rebuilt (retainContextWhenHidden is off), so it gets every kept entry again.
        this.sentUpTo = -1;
        return void this.push(true);
      case 'pause':
        this.paused = true;
        return void this.schedule();
      case 'resume':
        this.paused = false;
        return void this.schedule();
      case 'clear':
        this.rows = [];
        return void this.push(true);
      case 'copy': {
        const row = this.rows.find((r) => r.entry.revision === request.id);
        if (row) void vscode.env.clipboard.writeText(row.entry.payload.text ?? toDisplayKvEntry(row.entry).hex);
        return;
      }
    }
  }

  private schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.push(false);
    }, PUSH_MS);
  }

  private async push(reset: boolean): Promise<void> {
    if (this.disposed) return;
    const rows = this.rows.slice(-CAPACITY);
    const fresh = reset ? rows : rows.filter((r) => r.index > this.sentUpTo);
    if (rows.length) this.sentUpTo = rows[rows.length - 1]!.index;
    const stats = this.stats();
    const entries = fresh.map((r) => ({ ...toDisplayKvEntry(r.entry), initial: r.initial }));
    await this.panel.webview.postMessage({
      type: 'entries',
      reset,
      title: `${this.bucket}${this.prefix ? ` ${this.prefix}.>` : ''}`,
      capacity: CAPACITY,
      stats,
      entries,
    });
    this.updated.fire(stats);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    const handle = this.handle;
    if (handle) {
      // The handle's reason becomes 'stopped'; listeners hear once it has really ended.
      void handle.stop().then(() => {
        this.ended = 'stopped';
        this.updated.fire(this.stats());
        this.updated.dispose();
      });
    } else {
      this.updated.dispose();
    }
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
