// Keys the pinned chart version does not have: added later or dropped earlier, as the chart's own values.yaml of
// every published version says (chartKeyVersions.ts). Helm ignores them silently, so each gets a warning.
import { isMap, isScalar, type Document, type Node } from 'yaml';
import { keyAvailability } from './chartKeyVersions';
import type { LineIndex } from './textPositions';
import type { ValuesDiagnostic } from './valuesTypes';

/** What to write instead, for the keys older charts reach another way. */
const OLDER_CHART_ADVICE: Record<string, string> = {
  'container.resources': 'use `container.merge.resources`',
  'config.cluster.noAdvertise': 'earlier charts always set it; use `config.cluster.merge.no_advertise`',
};

const MAX_KEYS = 20_000;

/** Warnings on keys of the values under `root` that chart `version` ignores; the shallowest such key only. */
export function versionKeyChecks(
  doc: Document,
  lines: LineIndex,
  root: readonly string[],
  version: string,
): ValuesDiagnostic[] {
  const out: ValuesDiagnostic[] = [];
  let node: unknown = doc.contents;
  for (const key of root) node = isMap(node) ? node.get(key, true) : undefined;
  let budget = MAX_KEYS;
  const walk = (map: unknown, prefix: string): void => {
    if (!isMap(map)) return;
    for (const pair of map.items) {
      if (--budget < 0 || !isScalar(pair.key)) return;
      const path = prefix === '' ? String(pair.key.value) : `${prefix}.${String(pair.key.value)}`;
      const found = keyAvailability(path, version);
      if (found.status === 'present') walk(pair.value, path);
      if (found.status === 'present' || found.status === 'unknown') continue;
      const r = (pair.key as Node).range ?? [0, 0, 0];
      const when = found.status === 'added' ? `added in ${found.since}` : `removed in ${found.removedIn}`;
      const advice = OLDER_CHART_ADVICE[path];
      out.push({
        range: lines.range(r[0], r[1]),
        severity: 'warning',
        code: 'chart-check',
        check: 'version-key',
        path,
        message: `Chart ${version} ignores \`${path}\` (${when})${advice ? `: ${advice}` : ''}.`,
      });
    }
  };
  walk(node, '');
  return out;
}
