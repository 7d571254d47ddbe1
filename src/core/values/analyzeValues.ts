import { isMap, isScalar, type Document } from 'yaml';
import { runChartChecks } from './chartChecks';
import { contentLayout, resolveChartVersion } from './detectValues';
import { schemaFor } from './schemaIndex';
import { validateAgainstSchema } from './schemaValidation';
import { readValuesDocument } from './valuesDocument';
import { listedDiagnostics, VALUES_LIMITS } from './valuesLimits';
import type { ChartVersion, ValuesAnalysis } from './valuesTypes';

export interface AnalyzeOptions {
  /** The setting `natsK3s.values.chartVersion` or `--chart-version` (`2.x`, `0.19.17`, …); a modeline in the file wins. */
  chartVersion?: string;
  /** Larger files get one `file-too-large` diagnostic instead of an analysis (default: valuesLimits.ts). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = VALUES_LIMITS.maxBytes;

const UMBRELLA_KEYS = [
  'config',
  'container',
  'natsBox',
  'promExporter',
  'podTemplate',
  'reloader',
  'service',
  'statefulSet',
];

export { parseValues } from './parseValues';

/** `['nats']` when the file is an umbrella chart's values with this chart under `nats:`, else empty. */
export function findValuesRoot(doc: Document): string[] {
  const nats = isMap(doc.contents) ? doc.contents.get('nats', true) : undefined;
  if (isMap(nats) && nats.items.some((p) => isScalar(p.key) && UMBRELLA_KEYS.includes(String(p.key.value))))
    return ['nats'];
  return [];
}

/**
 * Analyses NATS chart values text; never throws, and takes time linear in the text's length: hostile input (binary,
 * huge, deeply nested, alias bombs) yields one clear diagnostic.
 */
export function analyzeValues(input: string, options: AnalyzeOptions = {}): ValuesAnalysis {
  const chartVersion: ChartVersion = resolveChartVersion(input, options.chartVersion);
  // The parse cache's document (used only within this call, as parseValuesIncremental requires); the cache knows only
  // the default limits.
  const read =
    options.maxBytes === undefined
      ? { incremental: true }
      : { limits: { ...VALUES_LIMITS, maxBytes: options.maxBytes } };
  const { text, doc, lines, problems, values } = readValuesDocument(input, read);
  const diagnostics = [...problems];
  const valuesRoot = findValuesRoot(doc);
  validateAgainstSchema(doc, schemaFor(chartVersion.layout), lines, chartVersion.layout, valuesRoot, diagnostics);
  if (chartVersion.layout === '2.x') {
    diagnostics.push(...runChartChecks(doc, lines, valuesRoot, chartVersion, values));
    const legacyCount = diagnostics.filter((d) => d.code === 'legacy-chart-key').length;
    if (legacyCount >= 3 && contentLayout(text) === '0.x') {
      diagnostics.unshift({
        range: lines.range(0, lines.lineEnd(0)),
        severity: 'information',
        code: 'legacy-layout',
        path: '',
        message: `This file uses the chart 0.x layout (${legacyCount} 0.x keys), which chart 1.x/2.x ignores. Run "NATS: Migrate Values to Chart 2.x", or add \`# nats-chart-version: 0.19.17\` if you deploy chart 0.x.`,
      });
    }
  }
  return { chartVersion, valuesRoot, diagnostics: listedDiagnostics(diagnostics) };
}
