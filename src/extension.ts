import * as vscode from 'vscode';
import { DEFAULT_SERVER_URL } from './core/nats/connectionDefaults';
import { probeServer } from './core/nats/serverProbe';
import { ConnectionsTreeProvider } from './vscode/connectionsTree';
import { CONNECTIONS_VIEW, Commands, Settings } from './vscode/ids';

/** What `activate` returns; other extensions and the extension-host tests read the views through it. */
export interface NatsK3sApi {
  readonly connections: ConnectionsTreeProvider;
}

/** Composition root: builds the pieces, wires them, and hands every disposable to the context. */
export function activate(context: vscode.ExtensionContext): NatsK3sApi {
  const log = vscode.window.createOutputChannel('NATS for K3s', { log: true });
  const serverUrls = () => [
    vscode.workspace.getConfiguration(Settings.section).get<string>(Settings.defaultServerUrl) || DEFAULT_SERVER_URL,
  ];
  const connections = new ConnectionsTreeProvider(serverUrls, (url) => probeServer(url), log);

  context.subscriptions.push(
    log,
    connections,
    vscode.window.createTreeView(CONNECTIONS_VIEW, { treeDataProvider: connections, showCollapseAll: true }),
    vscode.commands.registerCommand(Commands.refreshConnections, () => connections.refresh()),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.defaultServerUrl}`)) connections.refresh();
    }),
  );
  return { connections };
}

export function deactivate(): void {
  // Everything lives in context.subscriptions.
}
