import * as vscode from 'vscode';
import type { NatsSession } from '../../core/nats/session';
import { readOnlyRefusal, registerSafeCommand } from '../commandRunner';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import type { SecretStore } from '../secretStore';
import type { ConnectionManager, ManagedConnection } from './connectionManager';
import type { ExplorerNode } from './explorerNodes';
import type { ExplorerTree } from './explorerTree';
import type { SubjectSampling } from './subjectSampling';
import { pickConnection } from './pickConnection';

export type Node<K extends ExplorerNode['kind']> = Extract<ExplorerNode, { kind: K }>;

export interface ExplorerDeps {
  readonly connections: ConnectionManager;
  readonly tree: ExplorerTree;
  readonly docs: ReadOnlyDocuments;
  readonly log: vscode.LogOutputChannel;
  readonly extensionUri: vscode.Uri;
  readonly secrets: SecretStore;
  readonly sampling: SubjectSampling;
}

/** What every group of explorer commands shares: the dependencies and the guards. */
export interface CommandContext extends ExplorerDeps {
  session(conn: ManagedConnection): Promise<NatsSession>;
  /** Throws a user-facing error when `natsK3s.readOnly` is on; the core refuses as well. */
  refuseIfReadOnly(action: string): void;
  /** Registers through the error funnel. */
  safe(id: string, fn: (...args: never[]) => unknown): vscode.Disposable;
  /** The node's connection, or one picked by the user when run from the palette. */
  connectionOf(node: ExplorerNode | undefined): Promise<ManagedConnection>;
}

export function commandContext(deps: ExplorerDeps): CommandContext {
  return {
    ...deps,
    session: (conn) => deps.connections.session(conn),
    refuseIfReadOnly: (action) => {
      if (deps.connections.readOnly) throw readOnlyRefusal(action, 'NATS');
    },
    safe: (id, fn) => registerSafeCommand(deps.log, id, fn),
    connectionOf: async (node) => (node && 'conn' in node && node.conn ? node.conn : pickConnection(deps.connections)),
  };
}

/**
 * Asks in a modal that names the target; resolves true only for the explicit action button. There is deliberately
 * no argument that skips it: a destructive command called by another extension or a test asks the user too.
 */
export async function confirmDestructive(message: string, detail: string, action: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  return answer === action;
}
