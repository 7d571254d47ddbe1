import * as vscode from 'vscode';
import type { HelmRelease } from '../../core/helm/helmOutput';
import { UserInputError } from '../commandRunner';
import type { ClusterAccess } from './clusterAccess';

/**
 * Adds a connection to a release to `natsK3s.connections`: its target is the release in its namespace and context,
 * reached through a port-forward when it is opened (no kubectl, no fixed port). An existing one is kept.
 * Resolves with the connection's name.
 */
export async function connectRelease(access: ClusterAccess, release: HelmRelease | undefined): Promise<string> {
  if (!release) throw new UserInputError('Run this on a release in the NATS Releases view.');
  const context = access.selection().context;
  const name = `${release.name}.${release.namespace}${context ? `@${context}` : ''}`;
  const config = vscode.workspace.getConfiguration('natsK3s');
  const current = config.get<{ name?: string }[]>('connections') ?? [];
  if (!current.some((c) => c?.name === name)) {
    const cluster = { namespace: release.namespace, release: release.name, ...(context ? { context } : {}) };
    await config.update('connections', [...current, { name, cluster }], vscode.ConfigurationTarget.Global);
  }
  await vscode.commands.executeCommand('natsK3s.connections.focus');
  void vscode.window.showInformationMessage(
    `Connection '${name}' reaches release ${release.name} through a port-forward: expand it in the Connections view.`,
  );
  return name;
}
