// Render checks: `helm template` with the real chart on a values text, then checks on what it rendered, reported as
// diagnostics on the values lines they come from. Bounded in time and output, cancellable, and every way it can fail
// to check is one sentence.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { escapeControl } from '../text/escapeControl';
import { lastMeaningfulLine, type OutputStream } from '../helm/cliRunner';
import { checkChartVersion, checkLocalChart, checkRepoUrl, NATS_CHART_NAME } from '../helm/helmArgs';
import { explainHelmFailure, HELM_PATH_SETTING, runHelm } from '../helm/helmRunner';
import type { InstalledRelease } from '../values/installedRelease';
import type { PinFile } from '../values/pinnedChart';
import { resolveChartContext, valuesRootOf } from '../values/valuesContext';
import { readValuesDocument } from '../values/valuesDocument';
import type { ChartVersion, ValuesDiagnostic } from '../values/valuesTypes';
import { RenderedOutputError, readRenderedRelease } from './renderedRelease';
import type { RenderChart } from './renderChart';
import { renderFindings } from './renderFindings';
import { locateValuesPath } from './valuesLocation';

export interface RenderCheckOptions {
  readonly chart: RenderChart;
  /** natsK3s.helmPath or `--helm`; empty means helm on PATH. */
  readonly helmPath?: string;
  /** The chart version setting or `--chart-version`, for a file without a modeline or a pin. */
  readonly chartVersion?: string;
  /** The file's path and the files around it that may pin its chart (an umbrella's Chart.yaml names the alias). */
  readonly filePath?: string;
  readonly pinFiles?: readonly PinFile[];
  /** The release the file was installed into, with its listed chart version (after the pins, before the setting). */
  readonly release?: InstalledRelease;
  readonly signal?: AbortSignal;
  /** Extra environment for helm (tests keep helm's config, cache and data in a temp folder). */
  readonly env?: Readonly<Record<string, string>>;
  readonly onLine?: (stream: OutputStream, line: string) => void;
  /** helm is stopped after this long (default 60 s: a repository chart is downloaded first). */
  readonly timeoutMs?: number;
  /** helm is stopped when its output grows past this (default 8 MiB; the chart renders about 20 KiB). */
  readonly maxOutputBytes?: number;
}

export type RenderCheckResult =
  | {
      readonly kind: 'checked';
      readonly chartVersion: ChartVersion;
      /** Render findings, plus `render-failed` when the chart refused these values. */
      readonly diagnostics: ValuesDiagnostic[];
      /** What the chart rendered, as `Kind/name`. */
      readonly objects: readonly string[];
    }
  | {
      readonly kind: 'not-checked';
      readonly reason: 'helm-missing' | 'helm-failed' | 'cancelled' | 'limit' | 'unreadable' | 'chart-0.x';
      /** One sentence with the next step. */
      readonly explanation: string;
    };

export const RENDER_LIMITS = { timeoutMs: 60_000, maxOutputBytes: 8 * 1024 * 1024 } as const;

// The name helm gives the release; it only shapes object names, which no check reads.
const RELEASE = 'nats';

function helmArgs(chart: RenderChart, valuesFile: string): string[] {
  const common = [`--namespace=${RELEASE}`, `--values=${valuesFile}`];
  if (chart.kind === 'local') return ['template', RELEASE, checkLocalChart(chart.path), ...common];
  return [
    'template',
    RELEASE,
    NATS_CHART_NAME,
    `--repo=${checkRepoUrl(chart.repoUrl)}`,
    ...(chart.version ? [`--version=${checkChartVersion(chart.version)}`] : []),
    ...common,
  ];
}

// helm's words for a chart that could not render these values, as opposed to a helm that could not run or fetch.
const RENDER_ERROR =
  /execution error|error calling|template: |error converting yaml|yaml parse error|unable to parse yaml|wrong type for value/i;

/**
 * Renders `text` with the chart and runs the render checks. Never rejects for a bad file, a missing helm or a chart
 * that refuses the values: each is a `not-checked` sentence or a `render-failed` diagnostic.
 */
export async function renderCheckValues(text: string, opts: RenderCheckOptions): Promise<RenderCheckResult> {
  const { chartVersion, pin } = resolveChartContext(text, {
    ...(opts.chartVersion ? { chartVersion: opts.chartVersion } : {}),
    ...(opts.filePath !== undefined ? { filePath: opts.filePath } : {}),
    ...(opts.pinFiles ? { pinFiles: opts.pinFiles } : {}),
    ...(opts.release ? { release: opts.release } : {}),
  });
  if (chartVersion.layout === '0.x')
    return {
      kind: 'not-checked',
      reason: 'chart-0.x',
      explanation:
        'Render checks read what chart 1.x/2.x renders, and this file is for chart 0.x: migrate it with "NATS: Migrate Values to Chart 2.x" first.',
    };
  const { doc, lines, problems, values } = readValuesDocument(text);
  const blocking = problems.find((p) => p.severity === 'error');
  if (blocking || values === undefined)
    return {
      kind: 'not-checked',
      reason: 'unreadable',
      explanation: `helm cannot read this file (line ${(blocking?.range.start.line ?? 0) + 1}: ${(blocking?.message ?? 'it does not parse').replace(/\.$/, '')}): fix that first.`,
    };
  const root = valuesRootOf(doc, pin);
  let chartValues: unknown = values;
  for (const key of root) chartValues = (chartValues as Record<string, unknown>)[key];

  const dir = await mkdtemp(join(tmpdir(), 'nats-k3s-render-'));
  try {
    const file = join(dir, 'values.yaml');
    // An umbrella's NATS values are handed to the chart on their own, as the umbrella hands them to its subchart;
    // written as YAML 1.1, which helm reads, so that a string such as `yes` stays a string.
    await writeFile(file, root.length > 0 ? stringify(chartValues, { version: '1.1' }) : text, { mode: 0o600 });
    const rendered = await runBounded(helmArgs(opts.chart, file), opts);
    if (rendered.kind === 'stopped') return rendered.result;
    if (rendered.kind === 'render-error')
      return {
        kind: 'checked',
        chartVersion,
        objects: [],
        diagnostics: [
          {
            range: lines.range(0, lines.lineEnd(0)),
            severity: 'error',
            code: 'render-failed',
            path: '',
            message: `The chart refuses to render these values, so helm install would fail too: ${escapeControl(rendered.message)}`,
          },
        ],
      };
    let release: ReturnType<typeof readRenderedRelease>;
    try {
      release = readRenderedRelease(rendered.stdout);
    } catch (err) {
      if (!(err instanceof RenderedOutputError)) throw err;
      return {
        kind: 'not-checked',
        reason: 'helm-failed',
        explanation: `${err.message.replace(/\.$/, '')}: nothing was checked.`,
      };
    }
    const diagnostics: ValuesDiagnostic[] = renderFindings(release, chartValues).map((f) => {
      const at = locateValuesPath(doc, lines, root, f.paths);
      return {
        range: at.range,
        severity: f.severity,
        code: 'render-check',
        check: f.check,
        path: at.path,
        // Findings quote rendered text, which the values control (a JSON escape can carry a control character).
        message: escapeControl(f.message),
      };
    });
    if (release.confProblem)
      diagnostics.push({
        range: lines.range(0, lines.lineEnd(0)),
        severity: 'information',
        code: 'render-check',
        check: 'conf-unread',
        path: '',
        message: `The rendered nats.conf is not in the chart's own JSON shape (${release.confProblem}), so its checks were skipped.`,
      });
    return { kind: 'checked', chartVersion, diagnostics, objects: release.objects };
  } catch (err) {
    // helmArgs refuses a path or version helm could misread; its message is the sentence.
    if (err instanceof Error && err.name === 'HelmArgumentError')
      return { kind: 'not-checked', reason: 'helm-failed', explanation: err.message };
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Bounded =
  | { kind: 'ok'; stdout: string }
  | { kind: 'render-error'; message: string }
  | { kind: 'stopped'; result: RenderCheckResult };

/** runHelm under the time and output limits; a chart that refuses the values becomes a `render-failed` diagnostic. */
async function runBounded(args: string[], opts: RenderCheckOptions): Promise<Bounded> {
  const timeoutMs = opts.timeoutMs ?? RENDER_LIMITS.timeoutMs;
  const maxBytes = opts.maxOutputBytes ?? RENDER_LIMITS.maxOutputBytes;
  const stop = new AbortController();
  let stoppedFor: 'time' | 'size' | undefined;
  const timer = setTimeout(() => {
    stoppedFor = 'time';
    stop.abort();
  }, timeoutMs);
  const onUserAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onUserAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  let bytes = 0;
  try {
    const result = await runHelm(args, {
      helmPath: opts.helmPath,
      signal: stop.signal,
      ...(opts.env ? { env: opts.env } : {}),
      onLine: (stream, line) => {
        if (stream === 'stdout') bytes += line.length + 1;
        if (bytes > maxBytes && !stoppedFor) {
          stoppedFor = 'size';
          stop.abort();
        }
        opts.onLine?.(stream, line);
      },
    });
    const notChecked = (reason: Extract<RenderCheckResult, { kind: 'not-checked' }>['reason'], explanation: string) =>
      ({ kind: 'stopped', result: { kind: 'not-checked', reason, explanation: escapeControl(explanation) } }) as const;
    switch (result.kind) {
      case 'ok':
        return { kind: 'ok', stdout: result.stdout };
      case 'not-found':
        return notChecked(
          'helm-missing',
          `helm was not found${result.binary.includes('/') ? ` at ${result.binary}` : ' on PATH'}: install helm 3 or 4, or set ${HELM_PATH_SETTING} to its path.`,
        );
      case 'failed':
        return notChecked('helm-failed', result.explanation);
      case 'cancelled':
        if (stoppedFor === 'time')
          return notChecked(
            'limit',
            `helm did not finish rendering within ${Number((timeoutMs / 1000).toFixed(1))} s and was stopped: check the chart source and the network, then try again.`,
          );
        if (stoppedFor === 'size')
          return notChecked(
            'limit',
            `helm rendered more than ${Math.round(maxBytes / 1024 / 1024)} MiB and was stopped: the values make the chart render far more than a NATS release, so nothing was checked.`,
          );
        return notChecked('cancelled', 'The render check was cancelled; nothing was checked.');
    }
    if (!RENDER_ERROR.test(result.stderr))
      return notChecked('helm-failed', explainHelmFailure(args, result.code, result.stderr));
    return { kind: 'render-error', message: lastMeaningfulLine(result.stderr) };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onUserAbort);
  }
}
