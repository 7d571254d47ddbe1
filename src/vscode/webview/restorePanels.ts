import * as vscode from 'vscode';
import { describeError, UserInputError } from '../commandRunner';
import type { ConnectionManager } from '../explorer/connectionManager';
import { KV_WATCH_VIEW, KvWatchPanel } from '../kvWatch/kvWatchPanel';
import { LIVE_TAIL_VIEW, LiveTailPanel } from '../liveTail/liveTailPanel';
import { MESSAGE_BROWSER_VIEW, MessageBrowserPanel } from '../messageBrowser/messageBrowserPanel';
import type { NatsSession } from '../../core/nats/session';
import { restoredFields } from './panelState';
import { escapeHtml, webviewHtml } from './webviewHtml';

/** Rebuilds the message browser, live tail and KV watch tabs VS Code brings back after a window reload. */
export class PanelRestore {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connections: ConnectionManager,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  register(): vscode.Disposable[] {
    return [MESSAGE_BROWSER_VIEW, LIVE_TAIL_VIEW, KV_WATCH_VIEW].map((viewType) =>
      vscode.window.registerWebviewPanelSerializer(viewType, {
        deserializeWebviewPanel: async (panel, state) => {
          await this.restore(viewType, panel, state);
        },
      }),
    );
  }

  /**
   * Fills `panel` from the state its page kept. A connection that is gone or does not connect leaves a page saying
   * so in one sentence, never a blank tab.
   */
  async restore(
    viewType: string,
    panel: vscode.WebviewPanel,
    state: unknown,
  ): Promise<MessageBrowserPanel | LiveTailPanel | KvWatchPanel | undefined> {
    try {
      const uri = this.extensionUri;
      if (viewType === MESSAGE_BROWSER_VIEW) {
        const f = this.fields(state, ['connectionId', 'stream']);
        return MessageBrowserPanel.adopt(panel, uri, await this.session(f.connectionId), f.stream, f.connectionId);
      }
      if (viewType === LIVE_TAIL_VIEW) {
        const f = this.fields(state, ['connectionId', 'subject']);
        return LiveTailPanel.adopt(panel, uri, await this.session(f.connectionId), f.subject, f.connectionId);
      }
      if (viewType === KV_WATCH_VIEW) {
        const f = this.fields(state, ['connectionId', 'bucket'], ['prefix']);
        return KvWatchPanel.adopt(panel, uri, await this.session(f.connectionId), f.connectionId, f.bucket, f.prefix);
      }
      throw new UserInputError(`This extension has no tab of the kind '${viewType}'.`);
    } catch (err) {
      const sentence = describeError(err);
      this.log.warn(`A ${viewType} tab was not restored: ${sentence}`);
      panel.webview.options = { enableScripts: false };
      panel.webview.html = webviewHtml(panel.webview, this.extensionUri, {
        title: panel.title,
        scripts: [],
        styles: [],
        body: `<p>${escapeHtml(sentence)}</p><p>Close this tab and open it again from the NATS view.</p>`,
      });
      return undefined;
    }
  }

  private fields<K extends string>(state: unknown, names: readonly K[], optional: readonly K[] = []) {
    const f = restoredFields(state, names, optional);
    if (!f) throw new UserInputError('This tab was saved without what it showed.');
    return f;
  }

  private async session(connectionId: string): Promise<NatsSession> {
    const conn = await this.connections.byId(connectionId);
    if (!conn) throw new UserInputError(`The connection '${connectionId}' it used is no longer configured.`);
    const session = await this.connections.session(conn);
    const s = session.state;
    if (s.kind !== 'connected')
      throw new UserInputError(
        `'${conn.spec.name}' did not connect${s.kind === 'failed' ? `: ${s.reason}` : ` (it is ${s.kind})`}.`,
      );
    return session;
  }
}
