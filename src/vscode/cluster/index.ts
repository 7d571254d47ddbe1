/**
 * The cluster features of issue 4 (helm life cycle, the Releases view, nats-box shell, smoke test, context picker),
 * registered as one unit by the composition root.
 */
import * as vscode from 'vscode';
import type { ValuesThread } from '../../core/values/valuesThread';
import type { ReadOnlyDocuments } from '../readOnlyDocuments';
import type { ClusterAccess } from './clusterAccess';
import { registerClusterCommand } from './clusterCommandRunner';
import { ClusterCommands, RELEASES_VIEW } from './clusterIds';
import { connectRelease } from './connectRelease';
import { ContextStatusItem, selectContext, type SelectContextArgs } from './contextPicker';
import { rollbackRelease, showReleaseHistory, type RevisionArgs } from './historyCommand';
import { installChart, previewChart, type InstallArgs } from './installCommand';
import type { InstalledReleases } from './installedReleases';
import { openNatsBoxShell, smokeTestRelease } from './podCommands';
import type { ReleaseArgs } from './releaseArgs';
import { ReleasesTree, type ReleasesNode } from './releasesTree';
import { uninstallChart } from './uninstallCommand';

export { ReleasesTree, type ReleasesNode } from './releasesTree';
export { ClusterAccess } from './clusterAccess';
export { InstalledReleases } from './installedReleases';
export { PortForwards } from './portForwards';

export interface ClusterDeps {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly docs: ReadOnlyDocuments;
  /** Shared with the port-forwards of the Connections view, so both follow the same kubeconfig and context. */
  readonly access: ClusterAccess;
  /** Lints the values file before an install, off the extension host's thread. */
  readonly values: ValuesThread;
  /** Which release each values file went into; install and uninstall keep it, the Releases view feeds its versions. */
  readonly installed: InstalledReleases;
}

/** Builds the Releases view, the context status bar item and the cluster commands; the caller owns the disposables. */
export function registerClusterFeatures(deps: ClusterDeps): vscode.Disposable[] {
  const { log, docs, access, values, installed } = deps;
  const tree = new ReleasesTree(access, (context, releases) => installed.listed(context, releases));
  const view = vscode.window.createTreeView(RELEASES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const status = new ContextStatusItem(access);
  const refresh = () => tree.refresh();
  const command = (id: string, fn: (...args: never[]) => unknown) => registerClusterCommand(access, log, id, fn);
  type Arg<T> = ReleasesNode | T | undefined;

  return [
    tree,
    view,
    status,
    command(ClusterCommands.refreshReleases, refresh),
    command(ClusterCommands.selectContext, (args?: SelectContextArgs) => selectContext(access, args)),
    command(ClusterCommands.install, (arg: Arg<InstallArgs>) =>
      installChart({ access, docs, log, refresh, values, installed }, arg),
    ),
    command(ClusterCommands.preview, (arg: Arg<InstallArgs>) =>
      previewChart({ access, docs, log, refresh, values }, arg),
    ),
    command(ClusterCommands.uninstall, (arg: Arg<ReleaseArgs>) =>
      uninstallChart({ access, log, refresh, installed }, arg),
    ),
    command(ClusterCommands.natsBoxShell, (arg: Arg<ReleaseArgs>) => openNatsBoxShell(access, log, arg)),
    command(ClusterCommands.connectRelease, (arg: Arg<ReleaseArgs>) => connectRelease(access, log, arg)),
    command(ClusterCommands.smokeTest, (arg: Arg<ReleaseArgs>) => smokeTestRelease(access, log, arg, docs)),
    command(ClusterCommands.history, (arg: Arg<RevisionArgs>) =>
      showReleaseHistory({ access, docs, log, refresh }, arg),
    ),
    command(ClusterCommands.rollback, (arg: Arg<RevisionArgs>) => rollbackRelease({ access, docs, log, refresh }, arg)),
  ];
}
