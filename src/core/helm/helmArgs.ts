/**
 * Argument arrays for every helm call the extension makes. They are handed to `spawn` as arrays, never joined into
 * a shell string, and every free-form value travels as `--flag=value` so a value that starts with '-' can never be
 * read as a flag. Names that Kubernetes would reject are refused here, before helm runs.
 */
import { isAbsolute } from 'node:path';

/** The NATS chart repository, as published by nats-io/k8s (chart-releaser on gh-pages); natsK3s.helm.repository can name a mirror instead. */
export const NATS_REPO_URL = 'https://nats-io.github.io/k8s/helm/charts/';
/** The repository name used when the extension adds the repo itself. */
export const NATS_REPO_NAME = 'nats';
/** The chart's own name inside the repository. */
export const NATS_CHART_NAME = 'nats';
/** The default chart reference, `<repo>/<chart>`. */
export const NATS_CHART = `${NATS_REPO_NAME}/${NATS_CHART_NAME}`;

/** Thrown when a release name, namespace, version or path would give helm an invalid or unsafe argument. */
export class HelmArgumentError extends Error {
  override readonly name = 'HelmArgumentError';
}

/** Which cluster helm talks to; both fields are optional and fall back to helm's own defaults. */
export interface KubeTarget {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** A release in a namespace of a cluster. */
export interface ReleaseRef extends KubeTarget {
  readonly release: string;
  readonly namespace: string;
}

export interface InstallOptions extends ReleaseRef {
  readonly valuesFile: string;
  /** Chart version; omitted means the newest in the repository. A local chart has its own, so it takes none. */
  readonly version?: string;
  /** `<repo>/<chart>` (`nats/nats` unless the repo was added under another name), or an absolute path to a chart folder or `.tgz`. */
  readonly chart?: string;
  /** `--create-namespace` (default true). */
  readonly createNamespace?: boolean;
  /** `--wait --timeout=<n>s` when set. */
  readonly waitTimeoutSeconds?: number;
  readonly dryRun?: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// helm's own rule for release names (pkg/chartutil ValidateReleaseName): a DNS-1123 subdomain of at most 53 characters.
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const CHART_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const CHART_REF = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Returns the name unchanged, or throws a HelmArgumentError naming the rule when helm would refuse it. */
export function checkReleaseName(name: string): string {
  if (name.length > 53 || !RELEASE_NAME.test(name)) {
    throw new HelmArgumentError(
      `Release name ${JSON.stringify(name)} is not valid: use at most 53 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit.`,
    );
  }
  return name;
}

/** Returns the namespace unchanged, or throws when it is not a DNS-1123 label (at most 63 characters). */
export function checkNamespace(namespace: string): string {
  if (namespace.length > 63 || !DNS_LABEL.test(namespace)) {
    throw new HelmArgumentError(
      `Namespace ${JSON.stringify(namespace)} is not valid: use at most 63 lower-case letters, digits or '-', starting and ending with a letter or digit.`,
    );
  }
  return namespace;
}

/** Returns the version unchanged, or throws when it is not a plain semantic version such as 2.14.2 or 1.0.0-rc.1. */
export function checkChartVersion(version: string): string {
  if (!CHART_VERSION.test(version)) {
    throw new HelmArgumentError(
      `Chart version ${JSON.stringify(version)} is not valid: give an exact version such as 2.14.2.`,
    );
  }
  return version;
}

function checkChartRef(chart: string): string {
  if (!CHART_REF.test(chart)) {
    throw new HelmArgumentError(
      `Chart ${JSON.stringify(chart)} is not valid: give it as <repo>/<chart>, for example nats/nats.`,
    );
  }
  return chart;
}

/** True for a chart given as a path rather than `<repo>/<chart>` (a repo reference never starts with `/`, `.` or `~`). */
export function isLocalChart(chart: string): boolean {
  return isAbsolute(chart) || /^[.~]/.test(chart);
}

/**
 * A local chart folder or `.tgz`. The chart is a positional argument, so only an absolute path is accepted: it starts
 * with `/` (or a drive on Windows), never with `-`, so helm can never read it as a flag.
 */
export function checkLocalChart(chart: string): string {
  checkFreeText('chart path', chart);
  if (!isAbsolute(chart))
    throw new HelmArgumentError(
      `The chart path ${JSON.stringify(chart)} is not absolute: give the full path to a chart folder or .tgz.`,
    );
  return chart;
}

/** A repo reference or a local chart path, each checked by its own rule. */
function checkChart(chart: string): string {
  return isLocalChart(chart) ? checkLocalChart(chart) : checkChartRef(chart);
}

/** Paths and context names may hold almost anything, but not control characters (a newline would forge a log line). */
function checkFreeText(what: string, value: string): string {
  if (value.length === 0 || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new HelmArgumentError(
      `The ${what} ${JSON.stringify(value)} is empty or holds control characters: choose another.`,
    );
  }
  return value;
}

/** `--kubeconfig` and `--kube-context` flags; empty when neither is set. */
export function kubeTargetArgs(target: KubeTarget): string[] {
  const args: string[] = [];
  if (target.kubeconfig !== undefined) args.push(`--kubeconfig=${checkFreeText('kubeconfig path', target.kubeconfig)}`);
  if (target.context !== undefined) args.push(`--kube-context=${checkFreeText('kube context', target.context)}`);
  return args;
}

/** `helm repo list -o json` (helm exits 1 with "no repositories to show" when none are configured). */
export function repoListArgs(): string[] {
  return ['repo', 'list', '-o', 'json'];
}

/** `helm repo add <name> <url>` (the official repo or a mirror); adding it again under the same name and URL is a no-op for helm. */
export function repoAddArgs(name: string = NATS_REPO_NAME, url: string = NATS_REPO_URL): string[] {
  return ['repo', 'add', checkRepoName(name), checkRepoUrl(url)];
}

/**
 * Returns the chart repository URL unchanged, or throws when it is not `<scheme>://…` without spaces or control
 * characters. The URL is a positional argument: starting with a scheme, it can never be read as a flag.
 */
export function checkRepoUrl(url: string): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s\u0000-\u001f\u007f]+$/.test(url)) {
    throw new HelmArgumentError(
      `The chart repository URL ${JSON.stringify(url)} is not valid: set natsK3s.helm.repository to the full URL, such as ${NATS_REPO_URL}.`,
    );
  }
  return url;
}

/** `helm repo update <name>`: refreshes only the NATS repo's index. */
export function repoUpdateArgs(name: string = NATS_REPO_NAME): string[] {
  return ['repo', 'update', checkRepoName(name)];
}

function checkRepoName(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new HelmArgumentError(
      `Repository name ${JSON.stringify(name)} is not valid: use letters, digits, '.', '_' or '-'.`,
    );
  }
  return name;
}

/** `helm search repo nats/nats --versions -o json`: every version of the chart in the local repo index. */
export function searchVersionsArgs(chart: string = NATS_CHART): string[] {
  return ['search', 'repo', checkChartRef(chart), '--versions', '-o', 'json'];
}

/** Values, version and namespace flags shared by `upgrade --install` and `template`. */
function chartArgs(opts: InstallOptions): string[] {
  const chart = checkChart(opts.chart ?? NATS_CHART);
  const args = [checkReleaseName(opts.release), chart, `--namespace=${checkNamespace(opts.namespace)}`];
  args.push(`--values=${checkFreeText('values file path', opts.valuesFile)}`);
  return [...args, ...versionArgs(chart, opts.version)];
}

/** `--version=<v>` for a repo chart. helm ignores it for a local chart, so it is refused there rather than silently dropped. */
function versionArgs(chart: string, version: string | undefined): string[] {
  if (version === undefined) return [];
  if (isLocalChart(chart))
    throw new HelmArgumentError(`The local chart ${chart} has its own version: give no chart version with it.`);
  return [`--version=${checkChartVersion(version)}`];
}

/** `helm upgrade --install`: installs a new release or upgrades an existing one; `--wait` only when a timeout is given. */
export function upgradeInstallArgs(opts: InstallOptions): string[] {
  const args = ['upgrade', '--install', ...chartArgs(opts)];
  if (opts.createNamespace !== false) args.push('--create-namespace');
  if (opts.waitTimeoutSeconds !== undefined) args.push('--wait', `--timeout=${checkTimeout(opts.waitTimeoutSeconds)}s`);
  if (opts.dryRun) args.push('--dry-run');
  return [...args, ...kubeTargetArgs(opts)];
}

/**
 * `helm template` with the install's chart, values, version and namespace, for a read-only preview.
 * It renders offline, so the kube target and the wait flags are left out.
 */
export function templateArgs(opts: InstallOptions): string[] {
  return ['template', ...chartArgs(opts)];
}

/** `helm lint <chart> --values=<file>`: helm lints only local charts. */
export function lintArgs(chart: string, valuesFile: string): string[] {
  return ['lint', checkLocalChart(chart), `--values=${checkFreeText('values file path', valuesFile)}`];
}

/** `helm show values <chart>`: the chart's own values.yaml, from a local chart or the repo (`--version` for the latter). */
export function showValuesArgs(chart: string, version?: string): string[] {
  return ['show', 'values', checkChart(chart), ...versionArgs(chart, version)];
}

/** `helm get values <release> -o json`: only the user-supplied values (helm prints `null` when there are none); of one revision when given. */
export function getValuesArgs(ref: ReleaseRef, revision?: number): string[] {
  const at = revision === undefined ? [] : [`--revision=${checkRevision(revision)}`];
  return [
    'get',
    'values',
    checkReleaseName(ref.release),
    `--namespace=${checkNamespace(ref.namespace)}`,
    ...at,
    '-o',
    'json',
    ...kubeTargetArgs(ref),
  ];
}

/** `helm history <release> -o json`: every revision helm keeps (10 by default). */
export function historyArgs(ref: ReleaseRef): string[] {
  return [
    'history',
    checkReleaseName(ref.release),
    `--namespace=${checkNamespace(ref.namespace)}`,
    '-o',
    'json',
    ...kubeTargetArgs(ref),
  ];
}

/** `helm rollback <release> <revision>`, waiting for the pods when a timeout is given. */
export function rollbackArgs(ref: ReleaseRef, revision: number, waitTimeoutSeconds?: number): string[] {
  const args = [
    'rollback',
    checkReleaseName(ref.release),
    String(checkRevision(revision)),
    `--namespace=${checkNamespace(ref.namespace)}`,
  ];
  if (waitTimeoutSeconds !== undefined) args.push('--wait', `--timeout=${checkTimeout(waitTimeoutSeconds)}s`);
  return [...args, ...kubeTargetArgs(ref)];
}

function checkRevision(revision: number): number {
  if (!Number.isInteger(revision) || revision < 1)
    throw new HelmArgumentError(
      `Revision ${revision} is not valid: give a revision number from the release's history (1 or more).`,
    );
  return revision;
}

function checkTimeout(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds <= 0)
    throw new HelmArgumentError(`The wait timeout ${seconds} is not a positive whole number of seconds.`);
  return seconds;
}

/** `helm list -A -o json`: releases in every namespace the user may read; filter with `natsReleases`. */
export function listReleasesArgs(target: KubeTarget = {}): string[] {
  return ['list', '-A', '-o', 'json', ...kubeTargetArgs(target)];
}

/** `helm uninstall <release>`; PersistentVolumeClaims from volumeClaimTemplates stay behind (the chart sets no retention policy). */
export function uninstallArgs(ref: ReleaseRef, opts: { dryRun?: boolean } = {}): string[] {
  const args = ['uninstall', checkReleaseName(ref.release), `--namespace=${checkNamespace(ref.namespace)}`];
  if (opts.dryRun) args.push('--dry-run');
  return [...args, ...kubeTargetArgs(ref)];
}
