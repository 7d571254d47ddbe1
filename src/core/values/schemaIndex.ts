import { buildChartSchema } from './chartSchema';
import { buildLegacySchema } from './legacySchema';
import type { JsonSchema, JsonType } from './schemaBuilders';
import type { ValuesLayout } from './valuesTypes';

let chart: JsonSchema | undefined;
let legacy: JsonSchema | undefined;

/** The schema of a layout, built once per process (building takes well under a millisecond, but hot paths call this). */
export function schemaFor(layout: ValuesLayout): JsonSchema {
  if (layout === '0.x') return (legacy ??= buildLegacySchema());
  return (chart ??= buildChartSchema());
}

/** Follows a local `$ref` (`#/definitions/x`) and merges the referring schema's own description over it. */
export function deref(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (schema.$ref === undefined) return schema;
  const name = schema.$ref.replace('#/definitions/', '');
  const target = root.definitions?.[name] ?? {};
  const { $ref: _ignored, ...own } = schema;
  return { ...target, ...own };
}

/** The schema for one child key of an object schema; `'free'` when any key is allowed, undefined when unknown. */
export function childSchema(parent: JsonSchema, key: string, root: JsonSchema): JsonSchema | 'free' | undefined {
  const p = deref(parent, root);
  const own = p.properties?.[key];
  if (own) return deref(own, root);
  // JSON Schema allows any key unless additionalProperties is false.
  if (p.additionalProperties === true || p.additionalProperties === undefined) return 'free';
  if (typeof p.additionalProperties === 'object') return deref(p.additionalProperties, root);
  return undefined;
}

/** The schema at a path of keys (list indexes go through `items`); undefined when the path leaves the schema, `'free'` inside free maps. */
export function schemaAtPath(root: JsonSchema, path: readonly (string | number)[]): JsonSchema | 'free' | undefined {
  let current: JsonSchema = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      const items = deref(current, root).items;
      if (!items) return 'free';
      current = deref(items, root);
      continue;
    }
    const next = childSchema(current, segment, root);
    if (next === undefined || next === 'free') return next;
    current = next;
  }
  return deref(current, root);
}

/** The types a schema accepts, flattening `anyOf`. Empty means anything. */
export function acceptedTypes(schema: JsonSchema, root: JsonSchema): JsonType[] {
  const s = deref(schema, root);
  if (s.anyOf) return [...new Set(s.anyOf.flatMap((branch) => acceptedTypes(branch, root)))];
  if (s.type === undefined) return [];
  return Array.isArray(s.type) ? s.type : [s.type];
}

/** A short type label for hover and completion details, e.g. `boolean`, `string | null`. */
export function typeLabel(schema: JsonSchema, root: JsonSchema): string {
  const s = deref(schema, root);
  if (s.$ref === undefined && schema.$ref === '#/definitions/patch') return 'JSON Patch list';
  if (schema.$ref === '#/definitions/merge') return 'merge map';
  const types = acceptedTypes(s, root);
  if (types.length === 0) return 'any';
  if (s.anyOf?.some((b) => b.$ref === '#/definitions/tplYaml'))
    return `${types.filter((t) => t !== 'object').join(' | ')} | $tplYaml`;
  return types.join(' | ');
}

/** Object schemas' keys in declaration order (the chart's own order). */
export function propertyNames(schema: JsonSchema, root: JsonSchema): string[] {
  return Object.keys(deref(schema, root).properties ?? {});
}
