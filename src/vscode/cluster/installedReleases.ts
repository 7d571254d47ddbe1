import * as vscode from 'vscode';
import type { HelmRelease } from '../../core/helm/helmOutput';
import type { InstalledRelease } from '../../core/values/installedRelease';
import { INSTALLED_VALUES_STATE_KEY as STATE_KEY } from './clusterIds';

/** Where a values file went: a release in a namespace of a kubeconfig context. */
export interface ReleaseTarget {
  readonly release: string;
  readonly namespace: string;
  readonly context?: string;
}

/** Old entries go first; a workspace installs a handful of files, so this bound is never felt. */
const MAX_FILES = 200;

type Entries = Record<string, ReleaseTarget>;

const sameTarget = (a: ReleaseTarget, b: ReleaseTarget) =>
  a.release === b.release && a.namespace === b.namespace && a.context === b.context;

/**
 * Which values file was installed into which release (kept in workspaceState, keyed by the file's URI, dropped on
 * uninstall), and the chart version of that release as the Releases view last listed it. Looking a file up never
 * runs helm: a release the view has not listed in the current context gives no version.
 */
export class InstalledReleases implements vscode.Disposable {
  private listing: { context: string | undefined; releases: readonly HelmRelease[] } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a file's release or a listed chart version may have changed, so open values files are checked again. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly state: vscode.Memento,
    onContextChange: vscode.Event<unknown>,
  ) {
    // Another kubeconfig or context: the last listing is of a cluster that is no longer current.
    this.subscription = onContextChange(() => {
      this.listing = undefined;
      this.changed.fire();
    });
  }

  private entries(): Entries {
    return this.state.get<Entries>(STATE_KEY, {});
  }

  /** Remembers that `file` was installed into `target` (the newest install of a file wins). */
  async remember(file: vscode.Uri, target: ReleaseTarget): Promise<void> {
    const { [file.toString()]: _old, ...rest } = this.entries();
    const kept = Object.entries(rest).slice(-(MAX_FILES - 1));
    const entry: ReleaseTarget = {
      release: target.release,
      namespace: target.namespace,
      ...(target.context !== undefined ? { context: target.context } : {}),
    };
    await this.state.update(STATE_KEY, Object.fromEntries([...kept, [file.toString(), entry]]));
    this.changed.fire();
  }

  /** Forgets every file installed into `target`, after it was uninstalled. */
  async forget(target: ReleaseTarget): Promise<void> {
    const entries = Object.entries(this.entries());
    const kept = entries.filter(([, t]) => !sameTarget(t, target));
    if (kept.length === entries.length) return;
    await this.state.update(STATE_KEY, Object.fromEntries(kept));
    this.changed.fire();
  }

  /** The Releases view listed the nats chart's releases of `context`. */
  listed(context: string | undefined, releases: readonly HelmRelease[]): void {
    const versions = (l: typeof this.listing) =>
      l ? JSON.stringify([l.context, l.releases.map((r) => [r.name, r.namespace, r.chartVersion])]) : '';
    const next = { context, releases };
    const same = versions(this.listing) === versions(next);
    this.listing = next;
    if (!same) this.changed.fire();
  }

  /** The release the file was installed into and its listed chart version, when it is listed in the current context. */
  forFile(file: vscode.Uri): InstalledRelease | undefined {
    const target = this.entries()[file.toString()];
    const listing = this.listing;
    if (!target || !listing || listing.context !== target.context) return undefined;
    const found = listing.releases.find((r) => r.name === target.release && r.namespace === target.namespace);
    if (!found?.chartVersion) return undefined;
    return { ...target, chartVersion: found.chartVersion };
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
