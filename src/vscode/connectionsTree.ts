import * as vscode from 'vscode';
import { explainNatsError } from '../core/nats/explainError';
import type { ServerSummary } from '../core/nats/serverProbe';
import type { ContextValue } from './ids';

export type Probe = (url: string) => Promise<ServerSummary>;

/** A node of the Connections view; plain data, rendered by `getTreeItem`. */
export interface ConnectionNode {
  readonly kind: ContextValue;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon: string;
  readonly iconColor?: string;
  readonly url?: string;
}

/**
 * The Connections view. A connection is probed only when the user expands it, so opening the view costs no
 * network; failures become a child node with one sentence instead of a popup.
 */
export class ConnectionsTreeProvider implements vscode.TreeDataProvider<ConnectionNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ConnectionNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly serverUrls: () => readonly string[],
    private readonly probe: Probe,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: ConnectionNode): vscode.TreeItem {
    const collapsible = node.kind === 'connection' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.kind;
    item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
    return item;
  }

  async getChildren(node?: ConnectionNode): Promise<ConnectionNode[]> {
    if (!node) {
      return this.serverUrls().map((url) => ({ kind: 'connection', label: url, description: 'default', tooltip: `NATS server ${url}`, icon: 'plug', url }));
    }
    if (node.kind !== 'connection' || !node.url) return [];
    try {
      const summary = await this.probe(node.url);
      this.log.info(`probed ${node.url}: nats-server ${summary.version}, JetStream ${summary.jetstream ? 'on' : 'off'}`);
      return describeServer(summary);
    } catch (err) {
      const sentence = explainNatsError(err, node.url);
      this.log.warn(`probe of ${node.url} failed: ${sentence}`);
      return [{ kind: 'error', label: sentence, tooltip: sentence, icon: 'error', iconColor: 'errorForeground' }];
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function describeServer(s: ServerSummary): ConnectionNode[] {
  const nodes: ConnectionNode[] = [
    { kind: 'serverInfo', label: `nats-server ${s.version}`, description: s.serverName, icon: 'server' },
  ];
  if (s.cluster) nodes.push({ kind: 'serverInfo', label: `cluster ${s.cluster}`, icon: 'type-hierarchy' });
  nodes.push(
    s.jetstream
      ? {
          kind: 'serverInfo',
          label: 'JetStream on',
          description: `${s.jetstream.streams} streams, ${s.jetstream.consumers} consumers`,
          icon: 'database',
        }
      : { kind: 'serverInfo', label: 'JetStream off', icon: 'circle-slash' },
  );
  return nodes;
}
