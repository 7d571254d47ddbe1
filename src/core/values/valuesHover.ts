import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { parseValues } from './analyzeValues';
import { keyAvailability } from './chartKeyVersions';
import { hasLegacyRulesBelow, legacyBlockTarget, legacyRuleFor, targetPath } from './legacyKeys';
import { withLineFeeds } from './lineBreaks';
import { deref, schemaAtPath, schemaFor, typeLabel } from './schemaIndex';
import { LineIndex } from './textPositions';
import { resolveChartContext, type ValuesContextOptions, valuesRootOf, versionForKeys } from './valuesContext';
import { type ChartVersion, formatPath, type TextRange } from './valuesTypes';

export interface ValuesHover {
  /** Chart-relative path of the key, e.g. `config.jetstream.enabled`. */
  path: string;
  range: TextRange;
  description: string;
  type?: string;
  /** The chart default as YAML text, when there is one. */
  defaultText?: string;
  /** All of the above as Markdown, ready for a hover. */
  markdown: string;
}

let cached: { text: string; doc: Document } | undefined;

// Hover requests come in bursts over the same text; one parsed document is kept.
function parsed(text: string): Document {
  if (cached?.text !== text) cached = { text, doc: parseValues(withLineFeeds(text)) };
  return cached.doc;
}

function within(node: unknown, offset: number): boolean {
  const r = (node as Node | null)?.range;
  return !!r && offset >= r[0] && offset <= r[1];
}

/** The key path under the offset (on a key or on its scalar value). */
export function pathAtOffset(doc: Document, offset: number): { path: (string | number)[]; key: Node } | undefined {
  let node: unknown = doc.contents;
  const path: (string | number)[] = [];
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && (within(p.key, offset) || within(p.value, offset)));
      if (!pair || !isScalar(pair.key)) return undefined;
      path.push(String(pair.key.value));
      if (within(pair.key, offset) || isScalar(pair.value) || pair.value === null) return { path, key: pair.key };
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => within(item, offset));
      if (index === -1) return undefined;
      path.push(index);
      node = node.items[index];
    } else return undefined;
  }
  return undefined;
}

function yamlText(value: unknown): string {
  return typeof value === 'string' ? (value === '' ? '""' : value) : JSON.stringify(value);
}

/** Hover for the key or value at an offset: description, type and default; undefined off keys or outside the schema. */
export function hoverValues(text: string, offset: number, options: ValuesContextOptions = {}): ValuesHover | undefined {
  const doc = parsed(text);
  const found = pathAtOffset(doc, offset);
  if (!found) return undefined;
  const lines = new LineIndex(text);
  const { chartVersion, pin } = resolveChartContext(text, options);
  const valuesRoot = valuesRootOf(doc, pin);
  if (valuesRoot.some((key, i) => found.path[i] !== key)) return undefined;
  const path = found.path.slice(valuesRoot.length);
  const range = lines.range(found.key.range?.[0] ?? offset, found.key.range?.[1] ?? offset);
  const layout = chartVersion.layout;
  const root = schemaFor(layout);
  const schema = schemaAtPath(root, path);
  const dotted = formatPath(path);
  if (schema === undefined) {
    const keys = path.filter((p): p is string => typeof p === 'string');
    if (layout === '2.x' && keys.length === path.length && (legacyRuleFor(keys) || hasLegacyRulesBelow(keys))) {
      const description = legacyHoverText(keys, isMap(doc.getIn([...valuesRoot, ...keys], true)));
      return { path: dotted, range, description, markdown: `**${dotted}** (chart 0.x)\n\n${description}` };
    }
    return undefined;
  }
  if (schema === 'free') return undefined;
  const s = deref(schema, root);
  const type = typeLabel(schema, root);
  const defaultText = s.default !== undefined && s.default !== null ? yamlText(s.default) : undefined;
  const description = s.description ?? '';
  const markdown = `**${dotted}** \`${type}\`\n\n${description}${defaultText !== undefined ? `\n\nDefault: \`${defaultText}\`` : ''}${
    s.enum
      ? `\n\nOne of: ${s.enum
          .filter((v) => v !== null)
          .map((v) => `\`${String(v)}\``)
          .join(', ')}`
      : ''
  }\n\n${versionLine(chartVersion, path)}`;
  return { path: dotted, range, description, type, ...(defaultText !== undefined ? { defaultText } : {}), markdown };
}

/** Which chart the hover speaks for and where its version came from, and whether that version has the key. */
function versionLine(chartVersion: ChartVersion, path: readonly (string | number)[]): string {
  const where =
    chartVersion.origin ??
    (chartVersion.source === 'modeline'
      ? `chart ${chartVersion.exact ?? chartVersion.layout} from the file's modeline`
      : chartVersion.source === 'setting'
        ? `chart ${chartVersion.exact ?? chartVersion.layout} from the setting natsK3s.values.chartVersion`
        : `the newest chart, ${versionForKeys(chartVersion)} (no version pinned)`);
  const version = versionForKeys(chartVersion);
  const keys = path.filter((p): p is string => typeof p === 'string');
  const found = version && keys.length === path.length ? keyAvailability(keys.join('.'), version) : undefined;
  const note =
    found?.status === 'added'
      ? ` Not in this version: added in ${found.since}.`
      : found?.status === 'removed'
        ? ` Not in this version: removed in ${found.removedIn}.`
        : '';
  return `*Checked against ${where}.*${note}`;
}

/**
 * What a 0.x key is in chart 2.x, for its hover. The diagnostic on the same key (shown in the same hover) already says
 * what ignoring it costs, so this names where it goes and what that key does there, and never repeats the diagnostic.
 */
function legacyHoverText(keys: readonly string[], isBlock: boolean): string {
  const rule = legacyRuleFor(keys);
  if (!rule && !isBlock) return 'Chart 2.x has no key for this as written here.';
  if (!rule) {
    const home = legacyBlockTarget(keys);
    return home
      ? `A chart 0.x block: its keys move under \`${home}\`.`
      : 'A chart 0.x block: its keys move to chart 2.x one by one; hover each one for where it goes.';
  }
  const target = targetPath(rule, keys);
  if (rule.automatic) return `Chart 2.x has no key for this: ${rule.advice ?? 'it does this itself'}.`;
  if (!target) return `Chart 2.x has no key for this${rule.advice ? `: ${rule.advice}` : ''}.`;
  const root = schemaFor('2.x');
  const schema = schemaAtPath(root, target);
  const about =
    schema && schema !== 'free'
      ? ` \`${typeLabel(schema, root)}\`${deref(schema, root).description ? `: ${deref(schema, root).description}` : ''}`
      : '';
  return `In chart 2.x: \`${target.join('.')}\`${about}${rule.advice ? `\n\n${rule.advice}` : ''}`;
}
