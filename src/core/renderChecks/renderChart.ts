// Which chart the render checks render: a chart the user named (a folder, a .tgz, or a folder of charts such as a
// vendored `charts/` with `nats-2.14.2/`, `nats-1.3.16/`, … from which the file's version line is taken), or else the
// NATS chart repository at the version the file pins.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NATS_REPO_URL } from '../helm/helmArgs';
import type { ChartVersion } from '../values/valuesTypes';

/** A local chart (absolute path), or the repository's `nats` chart at `version` (newest when undefined). */
export type RenderChart =
  | { readonly kind: 'local'; readonly path: string }
  | { readonly kind: 'repository'; readonly repoUrl: string; readonly version?: string };

/** The chart named by the user cannot be used; the message says why and what to do. */
export class RenderChartError extends Error {
  override readonly name = 'RenderChartError';
}

const CHART_FOLDER = /^nats-(\d+)\.(\d+)\.(\d+)(?:\.tgz)?$/;

function isChart(path: string): boolean {
  return statSync(path).isDirectory() ? existsSync(join(path, 'Chart.yaml')) : /\.(tgz|tar\.gz)$/i.test(path);
}

function byVersion(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (b[i] ?? 0) - (a[i] ?? 0);
  return 0;
}

/**
 * From a folder of charts, the one for `version`: the exact version when it is there, else the newest of the same
 * major line, else (for a 1.x/2.x file) the newest 1.x/2.x chart. Undefined when none fits.
 */
export function pickChartFromFolder(folder: string, version: ChartVersion): string | undefined {
  const charts = readdirSync(folder)
    .map((name) => ({ name, m: CHART_FOLDER.exec(name) }))
    .filter((c) => c.m !== null)
    .map((c) => ({ name: c.name, v: [Number(c.m![1]), Number(c.m![2]), Number(c.m![3])] }))
    .sort((a, b) => byVersion(a.v, b.v));
  const exact = version.exact?.replace(/^v/, '');
  const wantedMajor = exact ? Number(exact.split('.')[0]) : undefined;
  const pick =
    charts.find((c) => c.v.join('.') === exact) ??
    (wantedMajor !== undefined ? charts.find((c) => c.v[0] === wantedMajor) : undefined) ??
    charts.find((c) => (version.layout === '0.x' ? c.v[0] === 0 : (c.v[0] ?? 0) >= 1));
  return pick ? join(folder, pick.name) : undefined;
}

/**
 * Resolves `chart` (an absolute path, or undefined for the repository) for a file of `version`. Throws
 * RenderChartError with one sentence when the path is neither a chart nor a folder holding one for that version.
 */
export function resolveRenderChart(
  chart: string | undefined,
  version: ChartVersion,
  repoUrl: string = NATS_REPO_URL,
): RenderChart {
  if (!chart) return { kind: 'repository', repoUrl, ...(version.exact ? { version: version.exact } : {}) };
  if (!existsSync(chart)) throw new RenderChartError(`The chart ${chart} does not exist: give a chart folder or .tgz.`);
  if (isChart(chart)) return { kind: 'local', path: chart };
  if (statSync(chart).isDirectory()) {
    const picked = pickChartFromFolder(chart, version);
    if (picked) return { kind: 'local', path: picked };
    throw new RenderChartError(
      `${chart} holds no NATS chart for chart ${version.exact ?? version.layout} (folders named nats-<version>): add one, or name the chart folder itself.`,
    );
  }
  throw new RenderChartError(`${chart} is neither a chart folder (with a Chart.yaml) nor a packaged .tgz chart.`);
}
