import { isMap, type Document } from 'yaml';
import { runChartChecks } from './chartChecks';
import { keyAvailability } from './chartKeyVersions';
import { contentLayout } from './detectValues';
import { detectLookAlike, lookAlikeMessage } from './lookAlikeCharts';
import type { PinnedChart } from './pinnedChart';
import { schemaFor } from './schemaIndex';
import { validateAgainstSchema } from './schemaValidation';
import { readValuesDocument } from './valuesDocument';
import { listedDiagnostics, VALUES_LIMITS } from './valuesLimits';
import type { LineIndex } from './textPositions';
import { resolveChartContext, type ValuesContextOptions, valuesRootOf, versionForKeys } from './valuesContext';
import type { ValuesAnalysis, ValuesDiagnostic } from './valuesTypes';
import { versionKeyChecks } from './versionKeyChecks';

export interface AnalyzeOptions extends ValuesContextOptions {
  /** Larger files get one `file-too-large` diagnostic instead of an analysis (default: valuesLimits.ts). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = VALUES_LIMITS.maxBytes;

export { parseValues } from './parseValues';

/** `['nats']` when the file is an umbrella chart's values with this chart under `nats:`, else empty. */
export function findValuesRoot(doc: Document): string[] {
  return valuesRootOf(doc);
}

/**
 * Analyses NATS chart values text; never throws, and takes time linear in the text's length: hostile input (binary,
 * huge, deeply nested, alias bombs) yields one clear diagnostic.
 */
export function analyzeValues(input: string, options: AnalyzeOptions = {}): ValuesAnalysis {
  const { chartVersion, pin } = resolveChartContext(input, options);
  // The parse cache's document (used only within this call, as parseValuesIncremental requires); the cache knows only
  // the default limits.
  const read =
    options.maxBytes === undefined
      ? { incremental: true }
      : { limits: { ...VALUES_LIMITS, maxBytes: options.maxBytes } };
  const { text, doc, lines, problems, values } = readValuesDocument(input, read);
  const diagnostics = [...problems];
  const valuesRoot = valuesRootOf(doc, pin);
  const lookAlike = lookAlikeDiagnostic(doc, valuesRoot, lines, pin);
  if (lookAlike) return { chartVersion, valuesRoot, diagnostics: listedDiagnostics([lookAlike, ...diagnostics]) };
  const checked: ValuesDiagnostic[] = [];
  validateAgainstSchema(doc, schemaFor(chartVersion.layout), lines, chartVersion.layout, valuesRoot, checked);
  const keysVersion = versionForKeys(chartVersion);
  // The umbrella's own switches under the subchart's key: its Chart.yaml's `condition`, else the usual `enabled`.
  const umbrellaKeys = pin?.umbrellaKeys ?? (valuesRoot.length > 0 && !pin?.valuesRoot ? ['enabled'] : []);
  diagnostics.push(
    ...(keysVersion
      ? withVersionKeys(checked, versionKeyChecks(doc, lines, valuesRoot, keysVersion), keysVersion)
      : checked
    ).filter((d) => !(d.code === 'unknown-key' && umbrellaKeys.includes(d.path))),
  );
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

/**
 * Merges the schema's findings (the newest chart's keys) with the pinned version's: a key the pinned chart has is no
 * unknown key, and an unknown key that an earlier chart had says when it went; the version warning is not repeated.
 */
function withVersionKeys(
  checked: ValuesDiagnostic[],
  versionKeys: ValuesDiagnostic[],
  version: string,
): ValuesDiagnostic[] {
  const unknown = new Set(checked.filter((d) => d.code === 'unknown-key').map((d) => d.path));
  const out: ValuesDiagnostic[] = [];
  for (const d of checked) {
    if (d.code !== 'unknown-key') {
      out.push(d);
      continue;
    }
    const found = keyAvailability(d.path, version);
    if (found.status === 'present') continue;
    if (found.status === 'removed')
      out.push({ ...d, message: `Chart ${version} ignores \`${d.path}\` (removed in ${found.removedIn}).` });
    else out.push(d);
  }
  return [...out, ...versionKeys.filter((d) => !unknown.has(d.path))];
}

/** The one information line of a look-alike chart's values (Bitnami's `nats`), found from a pin or the keys. */
function lookAlikeDiagnostic(
  doc: Document,
  valuesRoot: readonly string[],
  lines: LineIndex,
  pin: PinnedChart | undefined,
): ValuesDiagnostic | undefined {
  let message: string | undefined;
  if (pin?.bitnami) message = lookAlikeMessage({ chart: 'bitnami' }, pin.origin);
  else {
    const roots = valuesRoot.length === 0 ? [[], ['nats']] : [valuesRoot];
    for (const root of roots) {
      let node: unknown = doc.contents;
      for (const key of root) node = isMap(node) ? node.get(key, true) : undefined;
      const found = detectLookAlike(node, root[0]);
      if (found) {
        message = lookAlikeMessage(found);
        break;
      }
    }
  }
  return message === undefined
    ? undefined
    : { range: lines.range(0, lines.lineEnd(0)), severity: 'information', code: 'other-chart', path: '', message };
}
