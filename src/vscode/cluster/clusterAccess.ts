import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import * as vscode from 'vscode';
import { HelmClient } from '../../core/helm/helmClient';
import { ClusterClient } from '../../core/kube/clusterClient';
import {
  readContexts,
  resolveKubeconfig,
  type KubeconfigChoice,
  type KubeContexts,
} from '../../core/kube/kubeconfigSource';
import { UserInputError } from '../commandRunner';
import { isRestricted, restrictedModeRefusal } from '../trust/restrictedMode';
import { WorkspaceOverrides, type ProgramSetting } from '../trust/workspaceOverrides';
import { ClusterSettings, CONTEXT_STATE_KEY } from './clusterIds';

/** Where the extension points now: the kubeconfig files, the context in use, or why there is none. */
export interface KubeSelection {
  readonly choice?: KubeconfigChoice;
  readonly contexts?: KubeContexts;
  /** The chosen context, else the kubeconfig's current-context. */
  readonly context?: string;
  /** One sentence when there is no usable kubeconfig or it cannot be read. */
  readonly problem?: string;
}

/**
 * Reads the cluster settings and the chosen context, and hands out HelmClient and ClusterClient for them. It keeps
 * no connection: ClusterClient.open only reads the kubeconfig, so every command opens a fresh one. Nothing it hands
 * out runs in Restricted Mode, nor with a program or kubeconfig the workspace chose and the user has not allowed.
 */
export class ClusterAccess implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the kubeconfig setting or the chosen context changes. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    /** The workspace's own programs and kubeconfig, allowed once per workspace; tests get one over `state`. */
    private readonly overrides = new WorkspaceOverrides(state),
  ) {
    this.subscriptions = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if ([ClusterSettings.kubeconfig, ClusterSettings.helmPath].some((k) => e.affectsConfiguration(`natsK3s.${k}`)))
          this.changed.fire();
      }),
      // Trusting the workspace lifts Restricted Mode and brings its cluster settings into effect.
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire()),
    ];
  }

  /**
   * Asks about the workspace's own programs and kubeconfig before a command uses them (once per workspace and
   * value); rejects with vscode.CancellationError when the user does not allow them.
   */
  confirmWorkspacePrograms(): Promise<void> {
    return this.overrides.confirm();
  }

  /** Throws when nothing may run: Restricted Mode, or a workspace value among `keys` not allowed yet. */
  mayRun(keys: readonly ProgramSetting[]): void {
    if (isRestricted()) throw restrictedModeRefusal();
    this.overrides.check(keys);
  }

  private get config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('natsK3s');
  }

  setting<T>(key: string, fallback: T): T {
    return this.config.get<T>(key, fallback);
  }

  /** The current selection; never throws. */
  selection(): KubeSelection {
    const choice = resolveKubeconfig({ setting: this.setting(ClusterSettings.kubeconfig, '') });
    if (!choice)
      return {
        problem:
          'No kubeconfig was found: set KUBECONFIG, create ~/.kube/config, or set natsK3s.kubeconfig (K3s keeps one at /etc/rancher/k3s/k3s.yaml).',
      };
    let contexts: KubeContexts;
    try {
      contexts = readContexts(choice.paths);
    } catch (err) {
      return { choice, problem: (err as Error).message };
    }
    const chosen = this.state.get<string>(CONTEXT_STATE_KEY);
    const context = chosen && contexts.contexts.some((c) => c.name === chosen) ? chosen : contexts.current;
    return { choice, contexts, ...(context ? { context } : {}) };
  }

  /** Remembers the context (undefined goes back to the kubeconfig's current-context). */
  async chooseContext(context: string | undefined): Promise<void> {
    await this.state.update(CONTEXT_STATE_KEY, context);
    this.changed.fire();
  }

  /**
   * The chart of natsK3s.helm.chart as an absolute path (`~` expanded, a relative path against the first workspace
   * folder), or undefined when the setting is empty and the NATS chart repository is used. A path that is not a chart
   * folder or a packaged chart is a UserInputError sentence naming the setting.
   */
  localChart(): string | undefined {
    const raw = this.setting(ClusterSettings.helmChart, '').trim();
    if (!raw) return undefined;
    const fix = `set natsK3s.helm.chart in Settings to a chart folder or .tgz, or clear it to use the NATS chart repository`;
    const expanded = raw === '~' || raw.startsWith('~/') ? join(homedir(), raw.slice(1)) : raw;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    if (!isAbsolute(expanded) && folder === undefined)
      throw new UserInputError(
        `The chart path ${raw} is relative and no folder is open to resolve it against: ${fix}.`,
      );
    const path = isAbsolute(expanded) ? resolve(expanded) : resolve(folder!, expanded);
    if (!existsSync(path)) throw new UserInputError(`The chart ${path} does not exist: ${fix}.`);
    const isChart = statSync(path).isDirectory()
      ? existsSync(join(path, 'Chart.yaml'))
      : /\.(tgz|tar\.gz)$/i.test(path);
    if (!isChart)
      throw new UserInputError(
        `${path} is neither a chart folder (it has no Chart.yaml) nor a packaged .tgz chart: ${fix}.`,
      );
    return path;
  }

  /**
   * helm for the current selection, with its output in the log. Throws a UserInputError sentence in Restricted Mode or
   * when the workspace's helmPath or kubeconfig is not allowed yet.
   */
  helm(): HelmClient {
    this.mayRun(['helmPath', 'kubeconfig']);
    const sel = this.selection();
    return new HelmClient({
      helmPath: this.setting(ClusterSettings.helmPath, ''),
      // A mirror of the NATS chart repository; empty falls back to the official one inside HelmClient.
      repository: this.setting(ClusterSettings.helmRepository, ''),
      // helm can still render templates without a kubeconfig; commands that need the cluster open it first.
      kubeconfigPaths: sel.choice?.paths ?? [],
      ...(sel.context ? { context: sel.context } : {}),
      onLine: (stream, line, args) => this.log[stream === 'stderr' ? 'warn' : 'info'](`helm ${args[0]}: ${line}`),
    });
  }

  /** A ClusterClient for the current selection, or for `context` of its kubeconfig; rejects with a KubeAccessError sentence. */
  async openCluster(context?: string): Promise<ClusterClient> {
    // A kubeconfig can name exec plugins, which client-node runs: it is a program like helm.
    this.mayRun(['kubeconfig']);
    const sel = this.selection();
    const chosen = context ?? sel.context;
    return ClusterClient.open({ kubeconfigPaths: sel.choice?.paths ?? [], ...(chosen ? { context: chosen } : {}) });
  }

  /** natsK3s.kubectlPath, for the nats-box shell; throws like helm() when it may not run. */
  kubectlPath(): string {
    this.mayRun(['kubectlPath', 'kubeconfig']);
    return this.setting(ClusterSettings.kubectlPath, '');
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
