/**
 * The helm facade the VS Code layer uses: one object per kubeconfig + context that runs helm (runHelm, argument
 * arrays from helmArgs.ts) and returns plain data. Every failed run becomes a HelmCommandError whose message is the
 * runner's one sentence; the result kind tells "cancelled" apart from real failures.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import type { CliResult, OutputStream } from './cliRunner';
import {
  getValuesArgs,
  historyArgs,
  lintArgs,
  listReleasesArgs,
  NATS_CHART_NAME,
  NATS_REPO_NAME,
  NATS_REPO_URL,
  repoAddArgs,
  repoListArgs,
  repoUpdateArgs,
  rollbackArgs,
  searchVersionsArgs,
  showValuesArgs,
  templateArgs,
  uninstallArgs,
  upgradeInstallArgs,
  type InstallOptions,
  type KubeTarget,
  type ReleaseRef,
} from './helmArgs';
import {
  findNatsRepo,
  parseChartVersions,
  parseHistory,
  parseLintOutput,
  parseReleaseList,
  parseReleaseValues,
  parseRepoList,
  type ChartVersion,
  type HelmRelease,
  type HelmRepo,
  type LintResult,
  type ReleaseRevision,
} from './helmOutput';
import { runHelm } from './helmRunner';

/** A helm run that did not succeed; `result.kind` is `cancelled`, `not-found`, `failed` or `exited`. */
export class HelmCommandError extends Error {
  override readonly name = 'HelmCommandError';
  constructor(readonly result: Exclude<CliResult, { kind: 'ok' }>) {
    super(result.explanation);
  }

  get cancelled(): boolean {
    return this.result.kind === 'cancelled';
  }
}

export interface HelmClientOptions {
  /** From natsK3s.helmPath; empty means helm on PATH. */
  readonly helmPath?: string;
  /** The kubeconfig files in use (several are passed as KUBECONFIG, one as --kubeconfig). */
  readonly kubeconfigPaths: readonly string[];
  readonly context?: string;
  /** The NATS chart repository's URL, from natsK3s.helm.repository (a mirror); default the official NATS_REPO_URL. */
  readonly repository?: string;
  /** Extra environment for every run (tests point HELM_CACHE_HOME, HELM_CONFIG_HOME and HELM_DATA_HOME at a temp dir). */
  readonly env?: Readonly<Record<string, string>>;
  /** Every output line of every run, for a log channel. */
  readonly onLine?: (stream: OutputStream, line: string, args: readonly string[]) => void;
}

/** What `install` needs beyond the kube target. */
export type ChartInstall = Omit<InstallOptions, keyof KubeTarget>;

/**
 * The version of a local chart: `version` in a folder's Chart.yaml, or from a `.tgz` named as `helm package` names it
 * (`<name>-<version>.tgz`, or `.tar.gz`). Undefined when neither says.
 */
export function localChartVersion(chart: string): string | undefined {
  if (statSync(chart).isDirectory()) {
    const meta = parse(readFileSync(join(chart, 'Chart.yaml'), 'utf8')) as { version?: unknown } | null;
    return typeof meta?.version === 'string' ? meta.version : undefined;
  }
  return /-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)\.(?:tgz|tar\.gz)$/.exec(basename(chart))?.[1];
}

/** `nats` when helm has no repo of that name, else the first free one of `nats-io-charts`, `nats-io-charts-2`, … (helm refuses a taken name). */
function freeRepoName(repos: readonly HelmRepo[]): string {
  const taken = new Set(repos.map((r) => r.name));
  if (!taken.has(NATS_REPO_NAME)) return NATS_REPO_NAME;
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'nats-io-charts' : `nats-io-charts-${n}`;
    if (!taken.has(name)) return name;
  }
}

export class HelmClient {
  constructor(private readonly opts: HelmClientOptions) {}

  /** The `--kubeconfig`/`--kube-context` target: a single file as a flag; several files go through KUBECONFIG instead. */
  get kubeTarget(): KubeTarget {
    const [only, ...more] = this.opts.kubeconfigPaths;
    return {
      ...(only !== undefined && more.length === 0 ? { kubeconfig: only } : {}),
      ...(this.opts.context ? { context: this.opts.context } : {}),
    };
  }

  private get env(): Record<string, string> | undefined {
    const env = {
      ...this.opts.env,
      ...(this.opts.kubeconfigPaths.length > 1 ? { KUBECONFIG: this.opts.kubeconfigPaths.join(':') } : {}),
    };
    return Object.keys(env).length > 0 ? env : undefined;
  }

  private async exec(args: readonly string[], signal?: AbortSignal): Promise<CliResult> {
    const result = await runHelm(args, {
      helmPath: this.opts.helmPath,
      signal,
      ...(this.env ? { env: this.env } : {}),
      onLine: this.opts.onLine ? (stream, line) => this.opts.onLine!(stream, line, args) : undefined,
    });
    return result;
  }

  /** Runs helm and resolves with stdout; rejects with HelmCommandError for anything but success. */
  private async run(args: readonly string[], signal?: AbortSignal): Promise<string> {
    const result = await this.exec(args, signal);
    if (result.kind !== 'ok') throw new HelmCommandError(result);
    return result.stdout;
  }

  /** The URL of the NATS chart repository this client finds or adds: the configured mirror, or the official one. */
  get repository(): string {
    return this.opts.repository?.trim() || NATS_REPO_URL;
  }

  /**
   * The chart reference `<repo>/nats` of the NATS repository (`repository`), adding the repo (and fetching its index)
   * when helm has no repo with that URL. The repo is named `nats` unless that name already points elsewhere, then
   * `nats-io-charts` (or `nats-io-charts-2`, … when that is taken too).
   */
  async ensureNatsRepo(signal?: AbortSignal): Promise<{ chart: string; added: boolean }> {
    let repos: HelmRepo[];
    try {
      repos = parseRepoList(await this.run(repoListArgs(), signal));
    } catch (err) {
      // helm exits 1 with "no repositories to show" when none are configured: that is an empty list.
      if (
        !(
          err instanceof HelmCommandError &&
          err.result.kind === 'exited' &&
          /no repositories to show/i.test(err.result.stderr)
        )
      )
        throw err;
      repos = [];
    }
    const existing = findNatsRepo(repos, this.repository);
    if (existing) return { chart: `${existing.name}/${NATS_CHART_NAME}`, added: false };
    const name = freeRepoName(repos);
    await this.run(repoAddArgs(name, this.repository), signal);
    await this.run(repoUpdateArgs(name), signal);
    return { chart: `${name}/${NATS_CHART_NAME}`, added: true };
  }

  /** The chart's versions in the local repo index, newest first. */
  async chartVersions(chart: string, signal?: AbortSignal): Promise<ChartVersion[]> {
    return parseChartVersions(await this.run(searchVersionsArgs(chart), signal), chart);
  }

  /** Every release in every namespace the user may read (all charts; filter with natsReleases). */
  async listReleases(signal?: AbortSignal): Promise<HelmRelease[]> {
    return parseReleaseList(await this.run(listReleasesArgs(this.kubeTarget), signal));
  }

  /** The release's user-supplied values (`{}` when it has none), of the current revision or of `revision`. */
  async releaseValues(
    ref: Omit<ReleaseRef, keyof KubeTarget>,
    signal?: AbortSignal,
    revision?: number,
  ): Promise<Record<string, unknown>> {
    return parseReleaseValues(await this.run(getValuesArgs({ ...ref, ...this.kubeTarget }, revision), signal));
  }

  /** The release's revisions, newest first. */
  async history(ref: Omit<ReleaseRef, keyof KubeTarget>, signal?: AbortSignal): Promise<ReleaseRevision[]> {
    return parseHistory(await this.run(historyArgs({ ...ref, ...this.kubeTarget }), signal));
  }

  /** `helm rollback` to `revision` (a new revision with that one's chart and values); resolves with helm's stdout. */
  async rollback(
    ref: Omit<ReleaseRef, keyof KubeTarget>,
    revision: number,
    waitTimeoutSeconds?: number,
    signal?: AbortSignal,
  ): Promise<string> {
    return this.run(rollbackArgs({ ...ref, ...this.kubeTarget }, revision, waitTimeoutSeconds), signal);
  }

  /** `helm upgrade --install`; resolves with helm's stdout. */
  async upgradeInstall(opts: ChartInstall, signal?: AbortSignal): Promise<string> {
    return this.run(upgradeInstallArgs({ ...opts, ...this.kubeTarget }), signal);
  }

  /** `helm template`: the rendered manifests as YAML text. */
  async template(opts: ChartInstall, signal?: AbortSignal): Promise<string> {
    return this.run(templateArgs({ ...opts, ...this.kubeTarget }), signal);
  }

  /** `helm lint` of a local chart with a values file. A failed lint is an answer, not an error; a run that never linted rejects. */
  async lint(chart: string, valuesFile: string, signal?: AbortSignal): Promise<LintResult> {
    const result = await this.exec(lintArgs(chart, valuesFile), signal);
    // helm exits 1 both when the chart fails and when it could not start linting (a missing values file): only the
    // former has printed its "==> Linting" header.
    if (
      result.kind === 'ok' ||
      (result.kind === 'exited' && result.code === 1 && /^==> Linting /m.test(result.stdout))
    ) {
      return { passed: result.kind === 'ok', problems: parseLintOutput(result.stdout) };
    }
    throw new HelmCommandError(result);
  }

  /** `helm show values`: the chart's own values.yaml text. */
  async showValues(chart: string, signal?: AbortSignal): Promise<string> {
    return this.run(showValuesArgs(chart), signal);
  }

  async uninstall(ref: Omit<ReleaseRef, keyof KubeTarget>, signal?: AbortSignal): Promise<string> {
    return this.run(uninstallArgs({ ...ref, ...this.kubeTarget }), signal);
  }
}
