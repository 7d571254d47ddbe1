import * as vscode from 'vscode';
import { secretKeyOf } from '../../core/connections/connectionSpec';
import { UserInputError } from '../commandRunner';
import { Commands } from '../ids';
import { addConnection, type Answers } from './addConnection';
import { registerClusterCommands } from './clusterCommands';
import { commandContext, type ExplorerDeps, type Node } from './commandContext';
import type { ExplorerNode } from './explorerNodes';
import { registerConnectionCommands } from './connectionCommands';
import { registerKvBucketCommands } from './kvBucketCommands';
import { registerKvCommands } from './kvCommands';
import { pickConnection } from './pickConnection';
import { registerObjectStoreCommands } from './objectStoreCommands';
import { registerSendCommands } from './sendCommands';
import { registerServiceCommands } from './serviceCommands';
import { registerConsumerCommands } from './consumerCommands';
import { registerStreamCommands } from './streamCommands';
import { registerStreamConfigCommands } from './streamConfigCommands';
import { registerStreamOperationCommands } from './streamOperationCommands';

export { confirmDestructive, type ExplorerDeps } from './commandContext';
export { renderPayload } from './payloadText';

/** `natsK3s.connection.setSecret`'s optional argument: the secret, instead of a password box. */
export interface SetSecretArgs {
  readonly secret?: string;
}

/**
 * Registers the explorer's commands; every one goes through the error funnel and refuses writes in read-only mode.
 * Each takes optional arguments after its node that skip its prompts (see the *Args types), never its modal.
 */
export function registerExplorerCommands(deps: ExplorerDeps): vscode.Disposable[] {
  const ctx = commandContext(deps);
  const { connections, tree, log, safe, session } = ctx;
  return [
    // The view's Refresh button re-reads settings and redraws everything; a node (a cancelled listing's row passes
    // its level) redraws only that node.
    safe(Commands.refreshConnections, (node?: ExplorerNode) => {
      if (node && typeof node === 'object' && 'kind' in node) return tree.refresh(node);
      connections.reload();
      tree.refresh();
    }),
    safe(Commands.retryConnection, async (node?: Node<'connection'> | Node<'error'>) => {
      const conn = node?.conn ?? (await pickConnection(connections));
      const s = await session(conn);
      await s.retry();
      return s.state.kind;
    }),
    safe(Commands.showLog, () => log.show()),
    // The button of a request that timed out because this window's own sample listened on every subject.
    safe(Commands.stopSample, async (connectionId?: string) => {
      const id = connectionId ?? (await pickConnection(connections)).id;
      deps.sampling.hold(id);
    }),
    safe(Commands.addConnection, async (answers?: Answers) => {
      const names = (await connections.list()).map((c) => c.spec.name);
      const added = await addConnection(deps.secrets, names, answers);
      if (added) connections.reload();
      return added;
    }),
    safe(Commands.setSecret, async (node?: Node<'connection'>, args?: SetSecretArgs) => {
      const conn = node?.conn ?? (await pickConnection(connections));
      const key = secretKeyOf(conn.spec);
      if (!key)
        throw new UserInputError(
          `'${conn.spec.name}' takes no secret from VS Code's secret storage (its credentials come from a file or a nats context).`,
        );
      const what =
        conn.spec.auth.kind === 'userPassword' ? 'password' : conn.spec.auth.kind === 'token' ? 'token' : 'nkey seed';
      const value =
        args?.secret ??
        (await vscode.window.showInputBox({
          title: `Secret of '${conn.spec.name}'`,
          prompt: `The ${what}, kept in VS Code's secret storage`,
          password: true,
        }));
      if (value === undefined) return;
      await deps.secrets.set(key, value);
      await (await session(conn)).retry();
    }),
    ...registerConnectionCommands(ctx),
    ...registerStreamCommands(ctx),
    ...registerStreamConfigCommands(ctx),
    ...registerStreamOperationCommands(ctx),
    ...registerConsumerCommands(ctx),
    ...registerKvCommands(ctx),
    ...registerKvBucketCommands(ctx),
    ...registerSendCommands(ctx),
    ...registerServiceCommands(ctx),
    ...registerClusterCommands(ctx),
    ...registerObjectStoreCommands(ctx),
  ];
}
