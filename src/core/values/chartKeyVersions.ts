// Which chart versions have a values key, from the generated data (chartKeyData.ts, read from the chart's own
// values.yaml of every published version). The 0.x line and the 1.x/2.x line are looked at apart: a 0.x key in a
// 2.x file is a legacy key (legacyKeys.ts), not one that was "removed".
import { CHART_KEY_RANGES, CHART_VERSIONS } from './chartKeyData';
import { compareChartVersions } from './chartVersionOrder';

/** The newest published chart version the data knows: what a file with no pinned version is checked against. */
export const NEWEST_CHART_VERSION = CHART_VERSIONS[CHART_VERSIONS.length - 1] as string;

export type KeyAvailability =
  | { status: 'present' }
  /** Not in the version, but in a later one of its line: `since` is the first that has it. */
  | { status: 'added'; since: string }
  /** Not in the version, but in an earlier one of its line: `removedIn` is the first that no longer has it. */
  | { status: 'removed'; removedIn: string }
  /** The chart's values.yaml of this line never had the key (free maps, typos, other charts). */
  | { status: 'unknown' };

const isLegacyLine = (version: string): boolean => /^v?0\./.test(version);

let parsed: Map<string, [string, string][]> | undefined;

function rangesOf(path: string): [string, string][] | undefined {
  if (!parsed) {
    parsed = new Map();
    for (const [key, text] of Object.entries(CHART_KEY_RANGES))
      parsed.set(
        key,
        text.split(' ').map((r) => {
          const [first, last] = r.split('..');
          return [first as string, last ?? (first as string)];
        }),
      );
  }
  return parsed.get(path);
}

/** Whether the chart at `version` has the key at a dotted `path`, and if not, which version added or dropped it. */
export function keyAvailability(path: string, version: string): KeyAvailability {
  const legacy = isLegacyLine(version);
  const ranges = rangesOf(path)?.filter(([first]) => isLegacyLine(first) === legacy);
  if (!ranges || ranges.length === 0) return { status: 'unknown' };
  if (
    ranges.some(
      ([first, last]) => compareChartVersions(first, version) <= 0 && compareChartVersions(version, last) <= 0,
    )
  )
    return { status: 'present' };
  const later = ranges.find(([first]) => compareChartVersions(first, version) > 0);
  if (later) return { status: 'added', since: later[0] };
  const lastSeen = ranges[ranges.length - 1]?.[1] as string;
  const removedIn = CHART_VERSIONS.find(
    (v) => isLegacyLine(v) === legacy && compareChartVersions(v, lastSeen) > 0,
  ) as string;
  return { status: 'removed', removedIn };
}

/** Every published version, oldest first (for resolving ranges such as `~1.3.0`). */
export function publishedChartVersions(): readonly string[] {
  return CHART_VERSIONS;
}

/** Whether any of `versions` has the key; undefined when no published version's values.yaml has it (free maps). */
export function keyInAnyOf(path: string, versions: readonly string[]): boolean | undefined {
  const ranges = rangesOf(path);
  if (!ranges) return undefined;
  return versions.some((v) =>
    ranges.some(([first, last]) => compareChartVersions(first, v) <= 0 && compareChartVersions(v, last) <= 0),
  );
}
