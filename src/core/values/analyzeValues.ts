import { isMap, isScalar, type Document } from 'yaml';
import { runChartChecks } from './chartChecks';
import { contentLayout, resolveChartVersion } from './detectValues';
import { parseValuesIncremental } from './incrementalParse';
import { schemaFor } from './schemaIndex';
import { validateAgainstSchema } from './schemaValidation';
import { LineIndex } from './textPositions';
import type { ChartVersion, ValuesAnalysis, ValuesDiagnostic } from './valuesTypes';

export interface AnalyzeOptions {
  /** The setting `natsK3s.values.chartVersion` or `--chart-version` (`2.x`, `0.19.17`, …); a modeline in the file wins. */
  chartVersion?: string;
  /** Larger files get one `file-too-large` diagnostic instead of an analysis (default 512 KiB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 512 * 1024;
// The yaml parser slows down sharply on huge single maps; values files are a few kilobytes, so this bounds the work.

const UMBRELLA_KEYS = ['config', 'container', 'natsBox', 'promExporter', 'podTemplate', 'reloader', 'service', 'statefulSet'];
const BINARY = /[\u0000-\u0008\u000E-\u001F\uFFFD]/;

// The yaml parser takes seconds on a few thousand nested flow brackets; real values nest a handful deep.
const MAX_FLOW_DEPTH = 64;

/** Offset where `[`/`{` nesting first exceeds `max` (outside quotes and comments), or undefined. */
function flowNestingBeyond(text: string, max: number): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\n') quote = quote === '"' || quote === "'" ? quote : '';
    } else if (c === '"' || c === "'") {
      if (depth > 0) quote = c;
    } else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\n')) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
    } else if (c === '[' || c === '{') {
      if (++depth > max) return i;
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

export { parseValues } from './incrementalParse';

/** `['nats']` when the file is an umbrella chart's values with this chart under `nats:`, else empty. */
export function findValuesRoot(doc: Document): string[] {
  const nats = isMap(doc.contents) ? doc.contents.get('nats', true) : undefined;
  if (isMap(nats) && nats.items.some((p) => isScalar(p.key) && UMBRELLA_KEYS.includes(String(p.key.value)))) return ['nats'];
  return [];
}

function wholeFile(lines: LineIndex, code: ValuesDiagnostic['code'], message: string): ValuesDiagnostic {
  return { range: lines.range(0, Math.min(lines.lineEnd(0), lines.text.length)), severity: 'error', code, path: '', message };
}

function parseDiagnostics(doc: Document, lines: LineIndex): ValuesDiagnostic[] {
  const out: ValuesDiagnostic[] = [];
  for (const [severity, list] of [['error', doc.errors], ['warning', doc.warnings]] as const) {
    for (const e of list) {
      const [s, end] = e.pos;
      const first = e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? e.message;
      if (e.code === 'DUPLICATE_KEY') {
        out.push({ range: lines.range(s, Math.max(end, s + 1)), severity: 'error', code: 'duplicate-key', path: '', message: 'This key appears twice in the same map; Helm refuses the file.' });
      } else if (e.code === 'TAB_AS_INDENT') {
        out.push({ range: lines.range(s, Math.max(end, s + 1)), severity: 'error', code: 'tab-indentation', path: '', message: 'A tab indents this line; YAML allows only spaces for indentation.' });
      } else {
        out.push({ range: lines.range(s, Math.max(end, s + 1)), severity, code: 'yaml-syntax', path: '', message: `YAML: ${first}.`.replace(/\.\.$/, '.') });
      }
    }
  }
  return out;
}

/** Analyses NATS chart values text; never throws: hostile input (binary, huge, alias bombs) yields one clear diagnostic. */
export function analyzeValues(text: string, options: AnalyzeOptions = {}): ValuesAnalysis {
  const lines = new LineIndex(text);
  const chartVersion: ChartVersion = resolveChartVersion(text, options.chartVersion);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (text.length > maxBytes) {
    return { chartVersion, valuesRoot: [], diagnostics: [wholeFile(lines, 'file-too-large', `The file is ${(text.length / 1024).toFixed(0)} KiB; values files over ${(maxBytes / 1024).toFixed(0)} KiB are not analysed.`)] };
  }
  const binary = BINARY.exec(text);
  if (binary) {
    const at = lines.position(binary.index);
    return { chartVersion, valuesRoot: [], diagnostics: [{ ...wholeFile(lines, 'binary-content', `The file holds binary bytes (first at line ${at.line + 1}, column ${at.character + 1}); it is not YAML text.`), range: lines.range(binary.index, binary.index + 1) }] };
  }
  const deepAt = flowNestingBeyond(text, MAX_FLOW_DEPTH);
  if (deepAt !== undefined) {
    return { chartVersion, valuesRoot: [], diagnostics: [{ ...wholeFile(lines, 'yaml-syntax', `Brackets nest deeper than ${MAX_FLOW_DEPTH} levels here; no values file needs that, and parsing it would take very long.`), range: lines.range(deepAt, deepAt + 1) }] };
  }
  // The cache's document: used only within this call, as parseValuesIncremental requires.
  const doc = parseValuesIncremental(text);
  const diagnostics = parseDiagnostics(doc, lines);
  const valuesRoot = findValuesRoot(doc);
  validateAgainstSchema(doc, schemaFor(chartVersion.layout), lines, chartVersion.layout, valuesRoot, diagnostics);
  if (chartVersion.layout === '2.x') {
    diagnostics.push(...runChartChecks(doc, lines, valuesRoot, chartVersion));
    const legacyCount = diagnostics.filter((d) => d.code === 'legacy-chart-key').length;
    if (legacyCount >= 3 && contentLayout(text) === '0.x') {
      diagnostics.unshift({ ...wholeFile(lines, 'legacy-layout', `This file uses the chart 0.x layout (${legacyCount} 0.x keys), which chart 1.x/2.x ignores. Run "NATS: Migrate Values to Chart 2.x", or add \`# nats-chart-version: 0.19.17\` if you deploy chart 0.x.`), severity: 'information' });
    }
  }
  return { chartVersion, valuesRoot, diagnostics };
}
