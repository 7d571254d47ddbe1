import { resolve } from 'node:path';
import { NotUtf8Error, readUtf8File } from '../core/fs/readUtf8';
import { analyzeValues } from '../core/values/analyzeValues';
import { parseChartVersion } from '../core/values/detectValues';
import { nodePinFileSystem } from '../core/values/nodePinFileSystem';
import { collectPinFiles } from '../core/values/pinFiles';
import { parseCliArgs, UsageError } from './cliArgs';
import type { CliIo } from './cliIo';
import { describeFileError } from './fileError';

const USAGE = 'Usage: nats-k3s lint [--chart-version V] [--format text|json] FILE...\n';
const HELP =
  `${USAGE}` +
  "The chart version is the file's `# nats-chart-version:` modeline, else the one pinned by the umbrella's Chart.yaml\n" +
  'beside it, a helmfile or an Argo CD Application naming it (in its folder or above, up to the current folder;\n' +
  "only the file's own folder when it is outside the current folder), else --chart-version, else the newest chart.\n";

interface LintArgs {
  chartVersion?: string;
  format: 'text' | 'json';
  files: string[];
}

function parseLintArgs(args: readonly string[]): LintArgs | string {
  const options = {
    'chart-version': { type: 'string' },
    format: { type: 'string' },
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
  return { chartVersion, format, files: positionals };
}

/** `nats-k3s lint`: exit 0 without errors, 1 when any file has errors, 2 on usage or read errors. */
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
    anyErrors ||= analysis.diagnostics.some((d) => d.severity === 'error');
    const chartVersion = analysis.chartVersion.exact ?? analysis.chartVersion.layout;
    const pinnedBy = analysis.chartVersion.origin;
    const diagnostics = analysis.diagnostics.map((d) => ({
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      severity: d.severity,
      code: d.code,
      path: d.path,
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
  return readFailed ? 2 : anyErrors ? 1 : 0;
}
