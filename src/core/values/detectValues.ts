import { CHART_SCHEMA_FILE, LEGACY_SCHEMA_FILE } from './schemaFiles';
import type { ChartVersion, ValuesLayout } from './valuesTypes';

/** Default for the setting `natsK3s.values.files`: names that almost always mean NATS chart values. */
export const DEFAULT_VALUES_GLOBS: readonly string[] = [
  '**/nats-values*.{yaml,yml}',
  '**/values-nats*.{yaml,yml}',
  '**/nats.values.{yaml,yml}',
  '**/nats/values*.{yaml,yml}',
  '**/charts/nats/values*.{yaml,yml}',
];

export type DetectionReason = 'file-name' | 'modeline' | 'content';

export interface ValuesDetection {
  isNatsValues: boolean;
  reason?: DetectionReason;
  /** The layout the content looks like, when it looks like either. */
  contentLayout?: ValuesLayout;
}

const MODELINE_SCHEMA = /^#\s*yaml-language-server:\s*\$schema=(\S+)/m;
const MODELINE_VERSION = /^#\s*nats-chart-version:\s*(\S+)/m;

/** Converts a glob (`**`, `*`, `?`, `{a,b}`) to a RegExp over `/`-separated paths; other characters match literally. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) re += '\\{';
      else {
        re += `(?:${glob
          .slice(i + 1, end)
          .split(',')
          .map((alt) => alt.replace(/[.+^$()|[\]\\]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when `filePath` matches one of the globs; backslashes count as `/`, and a glob without `/` matches the base name only. */
export function matchesValuesGlobs(filePath: string, globs: readonly string[] = DEFAULT_VALUES_GLOBS): boolean {
  const path = filePath.replace(/\\/g, '/');
  const base = path.slice(path.lastIndexOf('/') + 1);
  return globs.some((glob) =>
    glob.includes('/')
      ? globToRegExp(glob).test(path) || globToRegExp(glob).test(`/${path}`)
      : globToRegExp(glob).test(base),
  );
}

/** The layout named by a modeline (`# nats-chart-version:` or a `$schema=` naming one of our schemas), if any. */
export function modelineVersion(text: string): { layout: ValuesLayout; exact?: string } | undefined {
  const version = MODELINE_VERSION.exec(text)?.[1];
  if (version !== undefined) {
    const parsed = parseChartVersion(version);
    if (parsed) return parsed;
  }
  const schema = MODELINE_SCHEMA.exec(text)?.[1];
  if (schema?.endsWith(LEGACY_SCHEMA_FILE)) return { layout: '0.x' };
  if (schema?.endsWith(CHART_SCHEMA_FILE) || /nats-values-[12]\.x\.schema\.json$/.test(schema ?? ''))
    return { layout: '2.x' };
  return undefined;
}

/** Parses `0.19.17`, `1.3`, `2.x`, `v2` …; undefined for anything that is not a chart version. */
export function parseChartVersion(value: string): { layout: ValuesLayout; exact?: string } | undefined {
  const m = /^v?(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?(?:-[0-9A-Za-z.-]+)?$/.exec(value.trim());
  if (!m) return undefined;
  const major = Number(m[1]);
  const layout: ValuesLayout = major === 0 ? '0.x' : '2.x';
  const exact =
    m[2] !== undefined && m[2] !== 'x' && m[3] !== undefined && m[3] !== 'x'
      ? value.trim().replace(/^v/, '')
      : undefined;
  return exact ? { layout, exact } : { layout };
}

/** The chart version to check against: a modeline wins, then the setting, else 2.x; an unparsable setting is ignored. */
export function resolveChartVersion(text: string, setting?: string): ChartVersion {
  const fromModeline = modelineVersion(text);
  if (fromModeline) return { ...fromModeline, source: 'modeline' };
  const fromSetting = setting ? parseChartVersion(setting) : undefined;
  if (fromSetting) return { ...fromSetting, source: 'setting' };
  return { layout: '2.x', source: 'default' };
}

/** Top-level keys and the keys one level below them, read line by line without parsing (detection must stay cheap). */
export function outlineKeys(text: string, maxLines = 20000): Map<string, Set<string>> {
  const outline = new Map<string, Set<string>>();
  let current: Set<string> | undefined;
  let childIndent = -1;
  const lines = text.split('\n', maxLines);
  for (const line of lines) {
    const m = /^( *)([A-Za-z_$][\w$.-]*)\s*:(?:\s|$)/.exec(line);
    if (!m) continue;
    const indent = (m[1] as string).length;
    const key = m[2] as string;
    if (indent === 0) {
      current = outline.get(key) ?? new Set();
      outline.set(key, current);
      childIndent = -1;
    } else if (current) {
      if (childIndent === -1) childIndent = indent;
      if (indent === childIndent) current.add(key);
    }
  }
  return outline;
}

const CURRENT_CONFIG_CHILDREN = [
  'jetstream',
  'cluster',
  'leafnodes',
  'gateway',
  'websocket',
  'mqtt',
  'resolver',
  'monitor',
  'nats',
];
const CURRENT_UMBRELLA_CHILDREN = ['config', 'container', 'natsBox', 'promExporter', 'podTemplate'];
const LEGACY_NATS_CHILDREN = [
  'jetstream',
  'limits',
  'logging',
  'healthcheck',
  'client',
  'serverTags',
  'externalAccess',
  'selectorLabels',
  'connectRetries',
  'gomemlimit',
  'extraEnv',
];

/** The layout the content looks like, from keys no other chart is likely to have; undefined for other charts' values. */
export function contentLayout(text: string): ValuesLayout | undefined {
  const outline = outlineKeys(text);
  const has = (top: string, children: readonly string[]): boolean => children.some((c) => outline.get(top)?.has(c));
  if (
    outline.has('natsBox') ||
    outline.has('promExporter') ||
    has('config', CURRENT_CONFIG_CHILDREN) ||
    has('nats', CURRENT_UMBRELLA_CHILDREN)
  )
    return '2.x';
  if (outline.has('natsbox') || has('nats', LEGACY_NATS_CHILDREN)) return '0.x';
  return undefined;
}

/** Decides whether a YAML file is NATS chart values: file name globs, then a modeline, then the content's shape. */
export function detectValuesFile(
  filePath: string,
  text: string,
  globs: readonly string[] = DEFAULT_VALUES_GLOBS,
): ValuesDetection {
  const layout = contentLayout(text);
  const withLayout = layout ? { contentLayout: layout } : {};
  if (matchesValuesGlobs(filePath, globs)) return { isNatsValues: true, reason: 'file-name', ...withLayout };
  if (modelineVersion(text)) return { isNatsValues: true, reason: 'modeline', ...withLayout };
  if (layout) return { isNatsValues: true, reason: 'content', contentLayout: layout };
  return { isNatsValues: false };
}
