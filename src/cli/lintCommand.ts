import { resolve } from 'node:path';
import { NotUtf8Error, readUtf8File } from '../core/fs/readUtf8';
import { analyzeValues } from '../core/values/analyzeValues';
import { parseChartVersion } from '../core/values/detectValues';
import { renderCheckValues, type RenderCheckResult } from '../core/renderChecks/renderCheckValues';
import { RenderChartError, resolveRenderChart } from '../core/renderChecks/renderChart';
import { escapeControl } from '../core/text/escapeControl';
import { nodePinFileSystem } from '../core/values/nodePinFileSystem';
import { collectPinFiles } from '../core/values/pinFiles';
import type { PinFile } from '../core/values/pinnedChart';
import { parseCliArgs, UsageError } from './cliArgs';
import type { CliIo } from './cliIo';
import { describeFileError } from './fileError';

const USAGE =
  'Usage: nats-k3s lint [--chart-version V] [--format text|json] [--render [--chart PATH] [--helm PATH]] FILE...\n';
const HELP = `${USAGE}  --render   also render each file with helm and the real chart, and check what it renders
  --chart    a chart folder or .tgz, or a folder of nats-<version> charts (default: the NATS chart repository)
  --helm     the helm binary (default: helm on PATH)
The chart version is the file's \`# nats-chart-version:\` modeline, else the one pinned by the umbrella's Chart.yaml
beside it, a helmfile or an Argo CD Application naming it (in its folder or above, up to the current folder;
only the file's own folder when it is outside the current folder), else --chart-version, else the newest chart.
`;

interface LintArgs {
  chartVersion?: string;
  format: 'text' | 'json';
  files: string[];
  render?: { chart?: string; helm?: string };
}

function parseLintArgs(args: readonly string[]): LintArgs | string {
  const options = {
    'chart-version': { type: 'string' },
    format: { type: 'string' },
    render: { type: 'boolean' },
    chart: { type: 'string' },
    helm: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  let parsed: ReturnType<typeof parseCliArgs<typeof options>>;
  try {
    parsed = parseCliArgs(args, options);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  const { values, positionals } = parsed;
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') return `--format must be text or json, not '${format}'.`;
  const chartVersion = values['chart-version'];
  if (chartVersion !== undefined && !parseChartVersion(chartVersion))
    return `--chart-version '${chartVersion}' is not a chart version (e.g. 2.14.2, 1.x, 0.19.17).`;
  if (positionals.length === 0) return 'no FILE given.';
  if (!values.render && (values.chart !== undefined || values.helm !== undefined))
    return `--${values.chart !== undefined ? 'chart' : 'helm'} is only used with --render.`;
  const render = values.render
    ? {
        ...(values.chart !== undefined ? { chart: resolve(values.chart) } : {}),
        ...(values.helm !== undefined ? { helm: values.helm } : {}),
      }
    : undefined;
  return { chartVersion, format, files: positionals, ...(render ? { render } : {}) };
}

/** `nats-k3s lint`: exit 0 without errors, 1 when any file has errors, 2 on usage or read errors or a render that did not run. */
export async function runLintCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(HELP);
    return 0;
  }
  const parsed = parseLintArgs(args);
  if (typeof parsed === 'string') {
    io.err(`nats-k3s lint: ${parsed}\n${USAGE}`);
    return 2;
  }
  let anyErrors = false;
  let readFailed = false;
  let renderFailed = false;
  const reports: unknown[] = [];
  for (const file of parsed.files) {
    let text: string;
    try {
      text = await readUtf8File(file);
    } catch (err) {
      io.err(`nats-k3s lint: ${err instanceof NotUtf8Error ? err.message : (describeFileError(err, 'read', file) ?? `cannot read ${file}: ${(err as Error).message}.`)}
`);
      readFailed = true;
      continue;
    }
    // The chart version pinned around the file (umbrella Chart.yaml, helmfile, Argo CD), looked for up to the
    // current folder when the file is inside it, else in the file's own folder only.
    const filePath = resolve(file).replace(/\\/g, '/');
    const cwd = process.cwd().replace(/\\/g, '/');
    const stopAt = filePath.startsWith(`${cwd}/`) ? cwd : filePath.slice(0, filePath.lastIndexOf('/'));
    const pins = await collectPinFiles(filePath, stopAt, nodePinFileSystem);
    const analysis = analyzeValues(text, {
      ...(parsed.chartVersion ? { chartVersion: parsed.chartVersion } : {}),
      filePath,
      pinFiles: pins.files,
    });
    if (parsed.render) {
      const rendered = await renderFile(text, analysis.chartVersion, parsed.render, parsed.chartVersion, {
        filePath,
        pinFiles: pins.files,
      });
      if (rendered.kind === 'not-checked') {
        io.err(`nats-k3s lint: ${escapeControl(file)}: ${rendered.explanation}\n`);
        renderFailed = true;
      } else {
        analysis.diagnostics.push(...rendered.diagnostics);
        analysis.diagnostics.sort((a, b) => a.range.startOffset - b.range.startOffset);
      }
    }
    anyErrors ||= analysis.diagnostics.some((d) => d.severity === 'error');
    const chartVersion = analysis.chartVersion.exact ?? analysis.chartVersion.layout;
    const pinnedBy = analysis.chartVersion.origin;
    const diagnostics = analysis.diagnostics.map((d) => ({
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      severity: d.severity,
      code: d.code,
      path: d.path,
      ...(d.check ? { check: d.check } : {}),
      message: d.message,
    }));
    if (parsed.format === 'json')
      reports.push({
        file,
        chartVersion,
        chartVersionSource: analysis.chartVersion.source,
        ...(pinnedBy ? { pinnedBy } : {}),
        diagnostics,
      });
    else for (const d of diagnostics) io.out(`${file}:${d.line}:${d.column}: ${d.severity} [${d.code}] ${d.message}\n`);
  }
  if (parsed.format === 'json') io.out(`${JSON.stringify(reports, null, 2)}\n`);
  return readFailed || renderFailed ? 2 : anyErrors ? 1 : 0;
}

/** The render checks of one file; a chart path that cannot be used is a not-checked sentence like the others. */
async function renderFile(
  text: string,
  version: Parameters<typeof resolveRenderChart>[1],
  opts: NonNullable<LintArgs['render']>,
  chartVersion: string | undefined,
  pins: { filePath: string; pinFiles: readonly PinFile[] },
): Promise<RenderCheckResult> {
  let chart: ReturnType<typeof resolveRenderChart>;
  try {
    chart = resolveRenderChart(opts.chart, version);
  } catch (err) {
    if (err instanceof RenderChartError)
      return { kind: 'not-checked', reason: 'helm-failed', explanation: err.message };
    throw err;
  }
  // Ctrl-C stops helm with the process; no signal is needed here.
  return renderCheckValues(text, {
    chart,
    ...(opts.helm !== undefined ? { helmPath: opts.helm } : {}),
    ...(chartVersion ? { chartVersion } : {}),
    ...pins,
  });
}
