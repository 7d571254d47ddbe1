import * as vscode from 'vscode';
import type { HelmClient } from '../../core/helm/helmClient';
import { natsReleases, type HelmRelease } from '../../core/helm/helmOutput';
import type { ChartPod } from '../../core/kube/podStatus';
import { scrubSecretShapes } from '../../core/text/secretScrubber';
import { fixCommand, UserInputError, type Fix } from '../commandRunner';
import { ignoredClusterSettings, isRestricted, MANAGE_TRUST, restrictedModeRefusal } from '../trust/restrictedMode';
import { setState, StateKeys } from '../walkthrough/stateKeys';
import type { ClusterAccess } from './clusterAccess';
import { ClusterCommands, type ReleasesContextValue } from './clusterIds';

/** The nodes of the Releases view: plain data, built from the helm facade and the cluster client. */
export type ReleasesNode =
  | { readonly kind: 'release'; readonly release: HelmRelease; readonly context?: string }
  | { readonly kind: 'pod'; readonly pod: ChartPod; readonly release: HelmRelease }
  /** `fix`: the button of the error the node stands for, run when the node is clicked. */
  | { readonly kind: 'error'; readonly message: string; readonly parent?: HelmRelease; readonly fix?: Fix }
  | { readonly kind: 'empty'; readonly message: string; readonly parent?: HelmRelease };

/**
 * Releases of the nats chart in the chosen context (`helm list -A`, filtered to the chart), each with its NATS server
 * and nats-box pods found by the chart's labels. getChildren never throws: failures and empty states are nodes.
 */
export class ReleasesTree implements vscode.TreeDataProvider<ReleasesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ReleasesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  /** `listed` hears each listing, so a values file's release version is known without running helm again. */
  constructor(
    private readonly access: ClusterAccess,
    private readonly listed?: (context: string | undefined, releases: readonly HelmRelease[]) => void,
  ) {
    this.subscription = access.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: ReleasesNode): Promise<ReleasesNode[]> {
    if (!node) return this.releases();
    if (node.kind === 'release') return this.pods(node.release);
    return [];
  }

  private async releases(): Promise<ReleasesNode[]> {
    // helm never runs in Restricted Mode: say so, with the workspace settings ignored until the workspace is trusted.
    if (isRestricted()) return [errorNode(restrictedModeRefusal(await ignoredClusterSettings()))];
    let helm: HelmClient;
    try {
      // Throws for a program or kubeconfig the workspace chose and the user has not allowed yet: views never ask.
      helm = this.access.helm();
    } catch (err) {
      return [errorNode(err)];
    }
    // No kubeconfig at all: an empty tree lets the view's welcome content explain and offer the fix, where an error
    // row would be one truncated line.
    const noKubeconfig = this.access.selection().choice === undefined;
    setState(StateKeys.noKubeconfig, noKubeconfig);
    if (noKubeconfig) return [];
    const sel = this.access.selection();
    if (sel.problem) return [{ kind: 'error', message: sel.problem }];
    try {
      const releases = natsReleases(await helm.listReleases());
      this.listed?.(sel.context, releases);
      // helm listed them: the cluster answered, and the walkthrough's install step is done when one is there.
      setState(StateKeys.clusterReached);
      if (releases.length > 0) setState(StateKeys.releaseInstalled);
      if (releases.length === 0)
        return [
          {
            kind: 'empty',
            message: `No releases of the nats chart in context ${sel.context ?? '(current)'}: install one.`,
          },
        ];
      return releases.map((release) => ({
        kind: 'release',
        release,
        ...(sel.context ? { context: sel.context } : {}),
      }));
    } catch (err) {
      return [errorNode(err)];
    }
  }

  private async pods(release: HelmRelease): Promise<ReleasesNode[]> {
    try {
      const cluster = await this.access.openCluster();
      const [servers, box] = await Promise.all([
        cluster.listChartPods(release.name, release.namespace, 'nats'),
        cluster.listChartPods(release.name, release.namespace, 'nats-box'),
      ]);
      const pods = [...servers.pods, ...box.pods];
      if (pods.length === 0)
        return [
          {
            kind: 'empty',
            message: `No pods of release ${release.name} found by the chart's labels.`,
            parent: release,
          },
        ];
      return pods.map((pod) => ({ kind: 'pod', pod, release }));
    } catch (err) {
      return [errorNode(err, release)];
    }
  }

  getTreeItem(node: ReleasesNode): vscode.TreeItem {
    switch (node.kind) {
      case 'release':
        return releaseItem(node.release);
      case 'pod':
        return podItem(node.pod, node.release);
      case 'error': {
        const icon =
          node.fix?.command === MANAGE_TRUST.command
            ? new vscode.ThemeIcon('workspace-untrusted')
            : new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        const item = leaf(node.message, 'releases.error', icon);
        item.tooltip = node.message;
        if (node.fix) item.command = fixCommand(node.fix);
        else if (!node.parent)
          item.command = { command: ClusterCommands.selectContext, title: 'Select Kubernetes Context' };
        return item;
      }
      case 'empty': {
        const item = leaf(node.message, 'releases.empty', new vscode.ThemeIcon('info'));
        if (!node.parent) item.command = { command: ClusterCommands.install, title: 'Install the NATS Chart' };
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** An error node for what a call threw: its sentence (scrubbed), and its button as the node's command. */
function errorNode(err: unknown, parent?: HelmRelease): ReleasesNode {
  const fix = err instanceof UserInputError ? err.fix : undefined;
  return {
    kind: 'error',
    message: scrubSecretShapes((err as Error).message),
    ...(parent ? { parent } : {}),
    ...(fix ? { fix } : {}),
  };
}

function leaf(label: string, contextValue: ReleasesContextValue, icon: vscode.ThemeIcon): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.contextValue = contextValue;
  item.iconPath = icon;
  return item;
}

/** `nats` with "nats · deployed · chart 2.14.2 · app 2.14.2". */
function releaseItem(r: HelmRelease): vscode.TreeItem {
  const item = new vscode.TreeItem(r.name, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `release/${r.namespace}/${r.name}`;
  item.description = `${r.namespace} · ${r.status} · chart ${r.chartVersion || r.chart} · app ${r.appVersion || '?'}`;
  item.contextValue = 'release' satisfies ReleasesContextValue;
  const bad = /failed/.test(r.status);
  const busy = /^pending|uninstalling/.test(r.status);
  item.iconPath = new vscode.ThemeIcon(
    bad ? 'error' : busy ? 'sync' : 'package',
    bad ? new vscode.ThemeColor('errorForeground') : undefined,
  );
  item.tooltip = new vscode.MarkdownString(
    [
      `**${r.name}** in namespace \`${r.namespace}\``,
      `status: ${r.status} (revision ${r.revision})`,
      `chart: ${r.chart}`,
      `app version: ${r.appVersion}`,
      `updated: ${r.updated}`,
    ].join('  \n'),
  );
  return item;
}

/** `nats-0` with "ready 2/2" or "not ready · CrashLoopBackOff (container nats): …". */
function podItem(p: ChartPod, r: HelmRelease): vscode.TreeItem {
  const item = new vscode.TreeItem(p.name, vscode.TreeItemCollapsibleState.None);
  item.id = `pod/${r.namespace}/${r.name}/${p.name}`;
  const box = p.component === 'nats-box' ? 'nats-box · ' : '';
  item.description = p.ready
    ? `${box}ready ${p.readyContainers}/${p.totalContainers}`
    : `${box}not ready · ${p.notReadyReason ?? p.phase}`;
  item.contextValue = (p.component === 'nats-box' ? 'pod.natsBox' : 'pod.nats') satisfies ReleasesContextValue;
  item.iconPath = p.ready
    ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'))
    : new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  item.tooltip = new vscode.MarkdownString(
    [
      `**${p.name}** (${p.component}, chart layout ${p.layout})`,
      `phase: ${p.phase}, containers ready ${p.readyContainers}/${p.totalContainers}, restarts ${p.restarts}`,
      ...(p.nodeName ? [`node: ${p.nodeName}`] : []),
      ...(p.notReadyReason ? [`not ready: ${p.notReadyReason}`] : []),
    ].join('  \n'),
  );
  return item;
}
