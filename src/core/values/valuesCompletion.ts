import { cursorContext } from './cursorContext';
import { keyAvailability } from './chartKeyVersions';
import { childSchema, deref, propertyNames, schemaAtPath, schemaFor, typeLabel } from './schemaIndex';
import type { JsonSchema } from './schemaBuilders';
import { LineIndex } from './textPositions';
import { resolveChartContext, type ValuesContextOptions, versionForKeys } from './valuesContext';
import type { TextRange } from './valuesTypes';

export interface ValuesCompletionItem {
  label: string;
  kind: 'key' | 'value';
  /** Plain text (not a snippet); may span lines, already indented for the cursor's position. */
  insertText: string;
  /** Type, e.g. `boolean`, `string | null`. */
  detail: string;
  /** Description, plus the default when there is one. */
  documentation: string;
  /** Keeps the chart's own key order. */
  sortText: string;
}

export interface ValuesCompletion {
  items: ValuesCompletionItem[];
  /** The range the typed word occupies; items replace it. */
  replaceRange: TextRange;
  /**
   * Set where a whole top-level block fits (a key at column 0 of a chart 1.x/2.x file, not an umbrella's): the
   * top-level keys already in the file, so snippets that would repeat one are not offered.
   */
  topLevelKeys?: string[];
}

export type CompletionOptions = ValuesContextOptions;

function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string')
    return value === '' || /^[\s]|[:#]|\s$|^(true|false|yes|no|on|off|null|~|[-+]?\d[\d.eE+-]*)$/i.test(value)
      ? JSON.stringify(value)
      : value;
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  return JSON.stringify(value);
}

function documentation(schema: JsonSchema): string {
  const def =
    schema.default !== undefined && schema.default !== null ? `\n\nDefault: \`${yamlScalar(schema.default)}\`` : '';
  return `${schema.description ?? ''}${def}`;
}

function keyInsertText(key: string, schema: JsonSchema, root: JsonSchema, indent: number): string {
  const s = deref(schema, root);
  const isMapLike = s.properties !== undefined || (s.type === 'object' && s.default === undefined);
  if (isMapLike) return `${key}:\n${' '.repeat(indent + 2)}`;
  if (s.type === 'array' && s.default !== undefined && Array.isArray(s.default) && s.default.length === 0)
    return `${key}:\n${' '.repeat(indent + 2)}- `;
  if (s.type === 'object') return `${key}:\n${' '.repeat(indent + 2)}`;
  if (s.default === undefined || s.default === null) return `${key}: `;
  return `${key}: ${yamlScalar(s.default)}`;
}

function valueItems(schema: JsonSchema, root: JsonSchema): ValuesCompletionItem[] {
  const s = deref(schema, root);
  const values: unknown[] = s.enum
    ? s.enum.filter((v) => v !== null)
    : (Array.isArray(s.type) ? s.type : [s.type]).includes('boolean')
      ? [true, false]
      : s.default !== undefined && s.default !== null && typeof s.default !== 'object'
        ? [s.default]
        : [];
  return values.map((v, i) => ({
    label: yamlScalar(v),
    kind: 'value',
    insertText: yamlScalar(v),
    detail: typeLabel(schema, root),
    documentation: `${v === s.default ? 'The chart default. ' : ''}${s.description ?? ''}`,
    sortText: String(i).padStart(3, '0'),
  }));
}

/** Completion items at an offset: keys of the enclosing map (minus those present) or values of the key; empty where nothing applies. */
export function completeValues(text: string, offset: number, options: CompletionOptions = {}): ValuesCompletion {
  const lines = new LineIndex(text);
  const empty: ValuesCompletion = { items: [], replaceRange: lines.range(offset, offset) };
  const ctx = cursorContext(lines, offset);
  if (!ctx) return empty;
  const { chartVersion, pin } = resolveChartContext(text, options);
  if (pin?.bitnami) return empty;
  const root = schemaFor(chartVersion.layout);
  // In an umbrella chart the values sit under the dependency's key (`nats:` or its alias); drop it.
  const umbrellaKey = pin?.valuesRoot?.[0] ?? 'nats';
  if (pin?.valuesRoot && ctx.parentPath[0] !== umbrellaKey) return empty;
  const parentPath =
    ctx.parentPath[0] === umbrellaKey && !root.properties?.[umbrellaKey] ? ctx.parentPath.slice(1) : ctx.parentPath;
  const version = versionForKeys(chartVersion);
  // Keys the pinned version does not have (added later, or dropped) are not offered.
  const inVersion = (key: string): boolean =>
    !version || !['added', 'removed'].includes(keyAvailability([...parentPath, key].join('.'), version).status);
  const parent = schemaAtPath(root, parentPath);
  const replaceRange = lines.range(ctx.partialStart, offset);
  if (parent === undefined || parent === 'free') return { items: [], replaceRange };
  if (ctx.kind === 'value') {
    const child = childSchema(parent, ctx.key ?? '', root);
    return { items: child && child !== 'free' ? valueItems(child, root) : [], replaceRange };
  }
  const topLevel =
    ctx.indent === 0 &&
    parentPath.length === 0 &&
    ctx.parentPath.length === 0 &&
    !pin?.valuesRoot &&
    chartVersion.layout !== '0.x';
  const items = propertyNames(parent, root)
    .filter((key) => !ctx.siblings.has(key) && inVersion(key))
    .map((key, i): ValuesCompletionItem => {
      const child = deref(deref(parent, root).properties?.[key] as JsonSchema, root);
      return {
        label: key,
        kind: 'key',
        insertText: keyInsertText(key, child, root, ctx.indent),
        detail: typeLabel(deref(parent, root).properties?.[key] as JsonSchema, root),
        documentation: documentation(child),
        sortText: String(i).padStart(3, '0'),
      };
    });
  return { items, replaceRange, ...(topLevel ? { topLevelKeys: [...ctx.siblings] } : {}) };
}
