import { NATS_CHART_NAME, NATS_REPO_URL } from './helmArgs';

/** Thrown when helm printed something that is not the JSON its `-o json` promises. */
export class HelmOutputError extends Error {
  override readonly name = 'HelmOutputError';
}

export interface HelmRepo {
  readonly name: string;
  readonly url: string;
}

export interface ChartVersion {
  readonly version: string;
  readonly appVersion: string;
  readonly description: string;
}

/** A release as `helm list` reports it, in plain data for the tree. */
export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  readonly revision: number;
  /** helm's status word: deployed, failed, pending-install, pending-upgrade, uninstalling, … */
  readonly status: string;
  /** The chart as helm prints it, e.g. `nats-2.14.2`. */
  readonly chart: string;
  readonly chartName: string;
  readonly chartVersion: string;
  readonly appVersion: string;
  readonly updated: string;
}

function parseJson(what: string, stdout: string): unknown {
  try {
    return JSON.parse(stdout.trim() || 'null');
  } catch {
    throw new HelmOutputError(
      `helm's ${what} output is not JSON (${stdout.trim().slice(0, 80)}…): check that the helm binary is helm 3 or newer.`,
    );
  }
}

function records(what: string, stdout: string): Record<string, unknown>[] {
  const data = parseJson(what, stdout);
  if (data === null) return [];
  if (!Array.isArray(data))
    throw new HelmOutputError(
      `helm's ${what} output is not a JSON list: check that the helm binary is helm 3 or newer.`,
    );
  return data.filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null);
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/** Parses `helm repo list -o json`; empty output or `null` is an empty list. */
export function parseRepoList(stdout: string): HelmRepo[] {
  return records('repo list', stdout).map((r) => ({ name: str(r.name), url: str(r.url) }));
}

/**
 * The repo that serves the NATS chart, matched by URL (the official one unless a mirror is given; trailing slash and
 * case ignored), whatever the user named it.
 */
export function findNatsRepo(repos: readonly HelmRepo[], url: string = NATS_REPO_URL): HelmRepo | undefined {
  const norm = (u: string) => u.trim().toLowerCase().replace(/\/+$/, '');
  return repos.find((r) => norm(r.url) === norm(url));
}

/** Parses `helm search repo <repo>/nats --versions -o json` into the chart's versions, newest first (pre-releases after their release). */
export function parseChartVersions(stdout: string, chart: string): ChartVersion[] {
  return records('search repo', stdout)
    .filter((r) => str(r.name) === chart)
    .map((r) => ({ version: str(r.version), appVersion: str(r.app_version), description: str(r.description) }))
    .sort((a, b) => compareVersions(b.version, a.version));
}

/** One revision of a release, from `helm history -o json` (the same fields in helm 3 and 4). */
export interface ReleaseRevision {
  readonly revision: number;
  readonly updated: string;
  /** deployed, superseded, failed, pending-upgrade, … */
  readonly status: string;
  readonly chart: string;
  readonly appVersion: string;
  /** helm's own words: "Install complete", "Upgrade complete", "Rollback to 2", … */
  readonly description: string;
}

/** Parses `helm history <release> -o json` into revisions, newest first. */
export function parseHistory(stdout: string): ReleaseRevision[] {
  return records('history', stdout)
    .map((r) => ({
      revision: Number(r.revision) || 0,
      updated: str(r.updated),
      status: str(r.status),
      chart: str(r.chart),
      appVersion: str(r.app_version),
      description: str(r.description),
    }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => b.revision - a.revision);
}

/** The newest version that is not a pre-release, or undefined when there is none. */
export function newestStableVersion(versions: readonly ChartVersion[]): string | undefined {
  return [...versions].sort((a, b) => compareVersions(b.version, a.version)).find((v) => !v.version.includes('-'))
    ?.version;
}

/** Semantic-version order: numeric major.minor.patch, then a release above its pre-releases. */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split('+')[0]!.split(/-(.*)/s);
    return { nums: core.split('.').map((n) => Number(n) || 0), pre };
  };
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre.localeCompare(y.pre, 'en', { numeric: true });
}

/** Splits helm's `chart` field (`nats-2.14.2`, `my-chart-1.0.0-rc.1`) at the dash before the version. */
export function splitChartField(chart: string): { name: string; version: string } {
  const m = /^(.*?)-(v?\d+\.\d+\.\d+.*)$/.exec(chart);
  return m ? { name: m[1]!, version: m[2]! } : { name: chart, version: '' };
}

/** Parses `helm list -A -o json` into releases of every chart; `natsReleases` keeps the NATS chart's. */
export function parseReleaseList(stdout: string): HelmRelease[] {
  return records('list', stdout).map((r) => {
    const chart = str(r.chart);
    const { name: chartName, version: chartVersion } = splitChartField(chart);
    return {
      name: str(r.name),
      namespace: str(r.namespace),
      revision: Number(r.revision) || 0,
      status: str(r.status),
      chart,
      chartName,
      chartVersion,
      appVersion: str(r.app_version),
      updated: str(r.updated),
    };
  });
}

/** Releases of the `nats` chart only, sorted by namespace then name. */
export function natsReleases(releases: readonly HelmRelease[]): HelmRelease[] {
  return releases
    .filter((r) => r.chartName === NATS_CHART_NAME)
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/** Parses `helm get values -o json`; helm prints `null` when the release has no user-supplied values, which becomes `{}`. */
export function parseReleaseValues(stdout: string): Record<string, unknown> {
  const data = parseJson('get values', stdout);
  if (data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new HelmOutputError(
      "helm's get values output is not a JSON object: check that the helm binary is helm 3 or newer.",
    );
  return data as Record<string, unknown>;
}

/** One `[ERROR]`, `[WARNING]` or `[INFO]` of `helm lint`; `path` is the chart file or folder it is about. */
export interface LintProblem {
  readonly severity: 'error' | 'warning' | 'info';
  readonly path: string;
  /** helm's whole message (helm 4 spreads a template error over several lines). */
  readonly message: string;
}

export interface LintResult {
  /** helm's own verdict: false when it exited 1 ("1 chart(s) failed"). */
  readonly passed: boolean;
  readonly problems: readonly LintProblem[];
}

const LINT_LEVEL: Record<string, LintProblem['severity']> = { ERROR: 'error', WARNING: 'warning', INFO: 'info' };

/**
 * The problems in `helm lint`'s stdout. A problem starts with `[LEVEL] path: message`; the lines after it up to the
 * next problem or a blank line continue its message. "Error unable to …" (no Chart.yaml) is a problem of the chart.
 */
export function parseLintOutput(stdout: string): LintProblem[] {
  const problems: { severity: LintProblem['severity']; path: string; lines: string[] }[] = [];
  let current: (typeof problems)[number] | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^\[(ERROR|WARNING|INFO)\] ([^:]*): ?(.*)$/.exec(line);
    if (m) problems.push((current = { severity: LINT_LEVEL[m[1]!]!, path: m[2]!, lines: [m[3]!] }));
    else if (line.startsWith('Error '))
      problems.push((current = { severity: 'error', path: '', lines: [line.slice('Error '.length)] }));
    else if (line.trim() === '') current = undefined;
    else current?.lines.push(line);
  }
  return problems.map((p) => ({ severity: p.severity, path: p.path, message: p.lines.join('\n') }));
}

/** The innermost cause of a lint message, short enough for a modal (helm 3 puts a whole template in one line). */
export function lintSummary(problem: LintProblem): string {
  const last = problem.message.split('\n').at(-1)!.trim();
  const at = last.lastIndexOf('>: ');
  const cause = at >= 0 ? last.slice(at + 3) : last;
  return cause.length > 200 ? `${cause.slice(0, 199)}…` : cause;
}
