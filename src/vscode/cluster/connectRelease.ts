import * as vscode from 'vscode';
import type { ClusterAccess } from './clusterAccess';
import { requirePrerequisites } from './prerequisites';
import { resolveRelease, type ReleaseArgs } from './releaseArgs';
import type { ReleasesNode } from './releasesTree';

/**
 * Adds a connection to a release to `natsK3s.connections`: its target is the release in its namespace and context,
 * reached through a port-forward when it is opened (no kubectl, no fixed port). An existing one is kept. From the
 * palette the release is picked from the chart's pod labels, so helm is not needed. Resolves with the connection's
 * name.
 */
export async function connectRelease(
  access: ClusterAccess,
  log: vscode.LogOutputChannel,
  arg: ReleasesNode | ReleaseArgs | undefined,
): Promise<string> {
  await requirePrerequisites(access, log, 'connecting to a release', { helm: false, cluster: true });
  const release = await resolveRelease(access, arg, 'Connect to which release?', 'labels');
  const context = access.selection().context;
  const name = `${release.release}.${release.namespace}${context ? `@${context}` : ''}`;
  const config = vscode.workspace.getConfiguration('natsK3s');
  const current = config.get<{ name?: string }[]>('connections') ?? [];
  if (!current.some((c) => c?.name === name)) {
    const cluster = { namespace: release.namespace, release: release.release, ...(context ? { context } : {}) };
    await config.update('connections', [...current, { name, cluster }], vscode.ConfigurationTarget.Global);
  }
  await vscode.commands.executeCommand('natsK3s.connections.focus');
  void vscode.window.showInformationMessage(
    `Connection '${name}' reaches release ${release.release} through a port-forward: expand it in the Connections view.`,
  );
  return name;
}
