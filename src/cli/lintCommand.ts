import { NotUtf8Error, readUtf8File } from '../core/fs/readUtf8';
import { analyzeValues } from '../core/values/analyzeValues';
import { parseChartVersion } from '../core/values/detectValues';
import type { CliIo } from './main';

const USAGE = 'Usage: nats-k3s lint [--chart-version V] [--format text|json] FILE...\n';

interface LintArgs {
  chartVersion?: string;
  format: 'text' | 'json';
  files: string[];
}

function parseArgs(args: readonly string[]): LintArgs | string {
  const out: LintArgs = { format: 'text', files: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--chart-version' || flag === '--format') {
      const value = inline ?? args[++i];
      if (value === undefined) return `${flag} needs a value`;
      if (flag === '--format') {
        if (value !== 'text' && value !== 'json') return `--format must be text or json, not '${value}'`;
        out.format = value;
      } else {
        if (!parseChartVersion(value)) return `--chart-version '${value}' is not a chart version (e.g. 2.14.2, 1.x, 0.19.17)`;
        out.chartVersion = value;
      }
    } else if (a === '--') out.files.push(...args.slice(i + 1)), (i = args.length);
    else if (a.startsWith('-') && a !== '-') return `unknown option '${a}'`;
    else out.files.push(a);
  }
  if (out.files.length === 0) return 'no FILE given';
  return out;
}

/** `nats-k3s lint`: exit 0 without errors, 1 when any file has errors, 2 on usage or read errors. */
export async function runLintCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.out(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
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
      io.err(`nats-k3s lint: ${err instanceof NotUtf8Error ? err.message : `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`}\n`);
      readFailed = true;
      continue;
    }
    const analysis = analyzeValues(text, parsed.chartVersion ? { chartVersion: parsed.chartVersion } : {});
    anyErrors ||= analysis.diagnostics.some((d) => d.severity === 'error');
    const chartVersion = analysis.chartVersion.exact ?? analysis.chartVersion.layout;
    const diagnostics = analysis.diagnostics.map((d) => ({ line: d.range.start.line + 1, column: d.range.start.character + 1, severity: d.severity, code: d.code, path: d.path, message: d.message }));
    if (parsed.format === 'json') reports.push({ file, chartVersion, diagnostics });
    else for (const d of diagnostics) io.out(`${file}:${d.line}:${d.column}: ${d.severity} [${d.code}] ${d.message}\n`);
  }
  if (parsed.format === 'json') io.out(`${JSON.stringify(reports, null, 2)}\n`);
  return readFailed ? 2 : anyErrors ? 1 : 0;
}
