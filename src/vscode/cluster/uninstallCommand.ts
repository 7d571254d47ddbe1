import * as vscode from 'vscode';
import { confirmDestructive } from '../explorer/explorerCommands';
import type { ClusterAccess } from './clusterAccess';
import type { InstalledReleases } from './installedReleases';
import { refuseWhenReadOnly, withCancellableProgress } from './clusterCommandRunner';
import { requirePrerequisites } from './prerequisites';
import { resolveRelease, type ReleaseArgs } from './releaseArgs';
import type { ReleasesNode } from './releasesTree';

export interface UninstallDeps {
  readonly access: ClusterAccess;
  readonly log: vscode.LogOutputChannel;
  readonly refresh: () => void;
  /** Forgets the values files installed into the release. */
  readonly installed?: InstalledReleases;
  /** The modal; tests of the confirmed path pass their own. */
  readonly confirm?: (message: string, detail: string, action: string) => Promise<boolean>;
}

export type UninstallOutcome =
  | { readonly outcome: 'not-confirmed' }
  | {
      readonly outcome: 'uninstalled';
      readonly claimsLeft: readonly string[];
      readonly claimsDeleted: readonly string[];
    };

/**
 * Uninstall after a modal naming release, namespace and context; then list the PersistentVolumeClaims the chart
 * leaves behind (JetStream and resolver data) and delete them only after a second, separate modal naming each claim.
 */
export async function uninstallChart(
  deps: UninstallDeps,
  arg: ReleasesNode | ReleaseArgs | undefined,
): Promise<UninstallOutcome> {
  const { access, log } = deps;
  refuseWhenReadOnly(access, 'uninstalling a release');
  const confirm = deps.confirm ?? confirmDestructive;
  await requirePrerequisites(access, log, 'uninstalling a release', { helm: true, cluster: true });
  const { release, namespace } = await resolveRelease(access, arg, 'Uninstall which release?');
  const context = access.selection().context ?? '(current context)';
  const helm = access.helm();
  const sure = await confirm(
    `Uninstall release ${release} from namespace ${namespace} (context ${context})?`,
    'Its StatefulSet, pods, services and config are deleted. The PersistentVolumeClaims with JetStream data stay; you are asked about them next.',
    'Uninstall',
  );
  if (!sure) return { outcome: 'not-confirmed' };
  try {
    await withCancellableProgress(`NATS: uninstalling release ${release} from ${namespace}`, (signal) =>
      helm.uninstall({ release, namespace }, signal),
    );
  } finally {
    deps.refresh();
  }
  log.info(`Uninstalled release ${release} from namespace ${namespace} (context ${context}).`);
  const chosen = access.selection().context;
  await deps.installed?.forget({ release, namespace, ...(chosen !== undefined ? { context: chosen } : {}) });

  const cluster = await access.openCluster();
  const claims = await cluster.listReleasePvcs(release, namespace);
  if (claims.length === 0) {
    void vscode.window.showInformationMessage(
      `Uninstalled release ${release} from ${namespace}; it left no PersistentVolumeClaims.`,
    );
    return { outcome: 'uninstalled', claimsLeft: [], claimsDeleted: [] };
  }
  const names = claims.map((c) => c.name);
  const list = claims
    .map(
      (c) =>
        `${c.name} (${c.purpose === 'other' ? 'labelled with the release' : `${c.purpose} data`}, ${c.size || 'size unknown'}, ${c.phase})`,
    )
    .join('\n');
  const deleteThem = await confirm(
    `Release ${release} is uninstalled, but ${claims.length} PersistentVolumeClaim${claims.length === 1 ? '' : 's'} remain in ${namespace}. Delete ${claims.length === 1 ? 'it' : 'them'} and their data?`,
    `${list}\n\nKept claims are reused by a later install with the same release name. Deleted data cannot be recovered.`,
    `Delete ${claims.length === 1 ? 'Claim' : `${claims.length} Claims`}`,
  );
  if (!deleteThem) {
    void vscode.window.showInformationMessage(`Uninstalled release ${release}; kept ${names.join(', ')}.`);
    return { outcome: 'uninstalled', claimsLeft: names, claimsDeleted: [] };
  }
  const deleted: string[] = [];
  for (const name of names) {
    await cluster.deletePvc(namespace, name);
    deleted.push(name);
    log.info(`Deleted PersistentVolumeClaim ${name} in ${namespace}.`);
  }
  void vscode.window.showInformationMessage(`Uninstalled release ${release} and deleted ${deleted.join(', ')}.`);
  return { outcome: 'uninstalled', claimsLeft: [], claimsDeleted: deleted };
}
