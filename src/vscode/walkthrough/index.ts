/**
 * The "Get Started with NATS on K3s" walkthrough: the command that opens it, and the explorer events that complete
 * its exploring steps. The cluster and values features set their own state keys where the state is reached.
 */
import * as vscode from 'vscode';
import { DEFAULT_SERVER_URL } from '../../core/nats/connectionDefaults';
import type { ExplorerNode } from '../explorer/explorerNodes';
import { Settings } from '../ids';
import { setState, StateKeys } from './stateKeys';

/** `<publisher>.<name>#<walkthrough id>`, as workbench.action.openWalkthrough takes it. */
export const WALKTHROUGH_ID = 'nats-k3s.nats-k3s#natsK3s.gettingStarted';
export const OPEN_WALKTHROUGH_COMMAND = 'natsK3s.walkthrough.open';
/** The Connections welcome's button: makes the built-in default URL a chosen one, so its row shows. */
export const USE_DEFAULT_SERVER_COMMAND = 'natsK3s.connection.useDefaultServer';

/** Registers the walkthrough's commands and watches the Connections tree for streams, subjects and kine opened on a live connection. */
export function registerWalkthrough(connectionsView: vscode.TreeView<ExplorerNode>): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(OPEN_WALKTHROUGH_COMMAND, () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    ),
    vscode.commands.registerCommand(USE_DEFAULT_SERVER_COMMAND, () =>
      vscode.workspace
        .getConfiguration(Settings.section)
        .update(Settings.defaultServerUrl, DEFAULT_SERVER_URL, vscode.ConfigurationTarget.Global),
    ),
    connectionsView.onDidExpandElement(({ element }) => {
      // Only a connected session lists anything: expanding the node of a failed one explores nothing.
      if (!('conn' in element) || element.conn?.session?.state.kind !== 'connected') return;
      if (element.kind === 'streams' || element.kind === 'subjects') setState(StateKeys.explored);
      if (element.kind === 'kineType' || element.kind === 'kineNamespace') setState(StateKeys.kineSeen);
    }),
  ];
}
