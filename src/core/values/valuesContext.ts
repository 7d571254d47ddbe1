// What a values file is checked against: the chart version (modeline, then a file that pins it, then the release it
// was installed into, then the setting, else the newest), the key its values sit under in an umbrella chart, and the umbrella's own switches there.
import { isMap, type Document } from 'yaml';
import { NEWEST_CHART_VERSION } from './chartKeyVersions';
import { modelineVersion, parseChartVersion } from './detectValues';
import { describeInstalledRelease, type InstalledRelease } from './installedRelease';
import { describePin, findPinnedChart, type PinFile, type PinnedChart } from './pinnedChart';
import type { ChartVersion } from './valuesTypes';

export interface ValuesContextOptions {
  /** The setting `natsK3s.values.chartVersion` or `--chart-version`; the modeline and pins in files win. */
  chartVersion?: string;
  /** The values file's path (`/`-separated), to find the files that pin its chart. */
  filePath?: string;
  /** The text of files that may pin the chart (pinFiles.ts collects them). */
  pinFiles?: readonly PinFile[];
  /** The release in the current cluster this file was installed into, with its listed chart version. */
  release?: InstalledRelease;
}

export interface ChartContext {
  chartVersion: ChartVersion;
  pin?: PinnedChart;
}

/** The chart version that applies to the text, and the pin it came from when a file pinned it. */
export function resolveChartContext(text: string, options: ValuesContextOptions = {}): ChartContext {
  const pin =
    options.filePath !== undefined && options.pinFiles?.length
      ? findPinnedChart(options.filePath, options.pinFiles)
      : undefined;
  const withPin = pin ? { pin } : {};
  const fromModeline = modelineVersion(text);
  if (fromModeline) return { chartVersion: { ...fromModeline, source: 'modeline' }, ...withPin };
  const pinned = pin?.version ? parseChartVersion(pin.version) : undefined;
  if (pin && pinned) return { chartVersion: { ...pinned, source: pin.source, origin: describePin(pin) }, pin };
  // A file in the repository says what will be deployed next; the release says what is deployed now: files win.
  const released = options.release ? parseChartVersion(options.release.chartVersion) : undefined;
  if (options.release && released)
    return {
      chartVersion: { ...released, source: 'release', origin: describeInstalledRelease(options.release) },
      ...withPin,
    };
  const fromSetting = options.chartVersion ? parseChartVersion(options.chartVersion) : undefined;
  if (fromSetting) return { chartVersion: { ...fromSetting, source: 'setting' }, ...withPin };
  return { chartVersion: { layout: '2.x', source: 'default' }, ...withPin };
}

/** The version keys are checked against: the exact one pinned, else the newest for 1.x/2.x; none for a vague 0.x. */
export function versionForKeys(chartVersion: ChartVersion): string | undefined {
  return chartVersion.exact ?? (chartVersion.layout === '2.x' ? NEWEST_CHART_VERSION : undefined);
}

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

/**
 * The path of the chart's values inside the file: the umbrella's dependency key (its alias, else `nats`) when a
 * Chart.yaml pins it, `['nats']` when the content is plainly an umbrella's, else the top level.
 */
export function valuesRootOf(doc: Document, pin?: PinnedChart): string[] {
  if (pin?.valuesRoot) return pin.valuesRoot;
  const nats = isMap(doc.contents) ? doc.contents.get('nats', true) : undefined;
  if (isMap(nats) && nats.items.some((p) => UMBRELLA_KEYS.includes(String((p.key as { value?: unknown })?.value))))
    return ['nats'];
  return [];
}
