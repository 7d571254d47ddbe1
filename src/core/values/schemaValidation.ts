import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { aliasTarget } from './anchorIndex';
import { hasLegacyRulesBelow, legacyMessage, legacyRuleFor, LEGACY_TOP_KEYS } from './legacyKeys';
import { acceptedTypes, childSchema, deref, propertyNames } from './schemaIndex';
import type { JsonSchema, JsonType } from './schemaBuilders';
import type { LineIndex } from './textPositions';
import { inlineText } from './messageText';
import { isMergeKey } from './valuesData';
import { formatPath, type ValuesDiagnostic, type ValuesLayout } from './valuesTypes';

interface WalkContext {
  doc: Document;
  root: JsonSchema;
  lines: LineIndex;
  layout: ValuesLayout;
  out: ValuesDiagnostic[];
}

type YamlKind = JsonType;

/** The JSON type of a YAML node (aliases are resolved one step, never expanded). */
export function kindOf(node: unknown, doc: Document): YamlKind {
  const n = isAlias(node) ? aliasTarget(doc, node) : node;
  if (isMap(n)) return 'object';
  if (isSeq(n)) return 'array';
  if (isScalar(n)) {
    const v = n.value;
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'boolean') return 'boolean';
    if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) ? 'integer' : 'number';
    return 'string';
  }
  return 'null';
}

function typeAccepts(types: readonly JsonType[], kind: YamlKind): boolean {
  return types.length === 0 || types.includes(kind) || (kind === 'integer' && types.includes('number'));
}

/** A map whose only key is `$tplYaml`/`$tplYamlSpread`: the chart replaces it before any template reads it. */
export function isTplYamlMap(node: unknown): boolean {
  return (
    isMap(node) &&
    node.items.length === 1 &&
    isScalar(node.items[0]?.key) &&
    ['$tplYaml', '$tplYamlSpread'].includes(String(node.items[0]?.key.value))
  );
}

function nodeRange(node: unknown, fallback?: unknown): [number, number] {
  const r = (node as Node | null)?.range;
  if (r && r[1] > r[0]) return [r[0], r[1]];
  const f = (fallback as Node | null)?.range;
  return f ? [f[0], f[1]] : r ? [r[0], r[1]] : [0, 0];
}

function describe(node: unknown, kind: YamlKind): string {
  if (isScalar(node) && kind !== 'null')
    return `${kind} ${inlineText(JSON.stringify(node.value) ?? String(node.value), 50)}`;
  return kind === 'null' ? 'an empty value' : kind === 'object' ? 'a map' : kind === 'array' ? 'a list' : kind;
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0] as number;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j] as number;
      prev[j] = Math.min(
        (prev[j] as number) + 1,
        (prev[j - 1] as number) + 1,
        diag + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1),
      );
      diag = tmp;
    }
  }
  return prev[b.length] as number;
}

/** The known key closest to a misspelt one, if it is close enough to be a typo. */
export function closestKey(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
  for (const c of candidates) {
    // The distance is at least the difference in length: most candidates are ruled out without the quadratic part.
    if (Math.abs(key.length - c.length) >= bestDistance) continue;
    const d = levenshtein(key, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function unknownKey(ctx: WalkContext, pair: Pair, key: string, path: (string | number)[], parent: JsonSchema): void {
  const [s, e] = nodeRange(pair.key);
  const where = path.length > 1 ? `\`${formatPath(path.slice(0, -1))}\`` : 'the top level';
  const siblings = propertyNames(parent, ctx.root);
  const suggestion = closestKey(key, siblings);
  const hasMerge = siblings.includes('merge');
  let message = `Unknown key \`${inlineText(key)}\` in ${where}: the chart ignores it.`;
  if (suggestion) message += ` Did you mean \`${suggestion}\`?`;
  else if (hasMerge && /[a-z]_[a-z]/.test(key)) message += ' NATS config options go under `merge`.';
  ctx.out.push({
    range: ctx.lines.range(s, e),
    severity: 'error',
    code: 'unknown-key',
    path: formatPath(path),
    message,
    ...(suggestion
      ? {
          fix: { title: `Rename to \`${suggestion}\``, edits: [{ range: ctx.lines.range(s, e), newText: suggestion }] },
        }
      : {}),
  });
}

function legacyKey(ctx: WalkContext, pair: Pair, path: string[]): void {
  // Report each mapped key once: descend while deeper rules exist, then report the key itself.
  const value = pair.value;
  if (isMap(value) && value.items.length > 0 && hasLegacyRulesBelow(path) && !isLegacyRuleExact(path)) {
    for (const child of value.items) {
      if (isScalar(child.key)) legacyKey(ctx, child, [...path, String(child.key.value)]);
    }
    return;
  }
  const [s, e] = nodeRange(pair.key);
  ctx.out.push({
    range: ctx.lines.range(s, e),
    severity: 'error',
    code: 'legacy-chart-key',
    path: path.join('.'),
    message: legacyMessage(path),
    fix: { title: `Migrate \`${path.join('.')}\` to chart 2.x`, migratePath: path },
  });
}

function isLegacyRuleExact(path: string[]): boolean {
  return legacyRuleFor(path) !== undefined;
}

function checkScalarConstraints(
  ctx: WalkContext,
  node: unknown,
  schema: JsonSchema,
  path: (string | number)[],
  fallback: unknown,
): void {
  if (!isScalar(node)) return;
  const [s, e] = nodeRange(node, fallback);
  const value = node.value;
  if (schema.enum && !schema.enum.some((v) => v === value)) {
    const allowed = schema.enum
      .filter((v) => v !== null)
      .map((v) => `\`${String(v)}\``)
      .join(', ');
    ctx.out.push({
      range: ctx.lines.range(s, e),
      severity: 'error',
      code: 'bad-enum',
      path: formatPath(path),
      message: `\`${inlineText(String(value))}\` is not allowed for \`${formatPath(path)}\`; use one of ${allowed}.`,
    });
    return;
  }
  if (
    typeof value === 'number' &&
    ((schema.minimum !== undefined && value < schema.minimum) ||
      (schema.maximum !== undefined && value > schema.maximum))
  ) {
    ctx.out.push({
      range: ctx.lines.range(s, e),
      severity: 'error',
      code: 'bad-value',
      path: formatPath(path),
      message: `\`${formatPath(path)}\` must be between ${schema.minimum ?? '-∞'} and ${schema.maximum ?? '∞'}.`,
    });
  }
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    ctx.out.push({
      range: ctx.lines.range(s, e),
      severity: 'error',
      code: 'bad-value',
      path: formatPath(path),
      message: `\`${formatPath(path)}\` must match \`${schema.pattern}\` (a JSON Pointer starts with \`/\`).`,
    });
  }
}

function validateNode(
  ctx: WalkContext,
  node: unknown,
  schemaIn: JsonSchema,
  path: (string | number)[],
  keyNode: unknown,
): void {
  const schema = deref(schemaIn, ctx.root);
  if (isTplYamlMap(node)) return;
  const kind = kindOf(node, ctx.doc);
  // An empty value for a map or list is what Helm reads as "no override" when typed half-way; do not shout.
  const types = acceptedTypes(schema, ctx.root);
  if (kind === 'null' && (types.includes('object') || types.includes('array'))) return;
  if (!typeAccepts(types, kind)) {
    const [s, e] = nodeRange(node, keyNode);
    const hint =
      types.includes('object') && !types.includes('string') && isScalar(node)
        ? ''
        : kind === 'null'
          ? " (an empty value removes the chart's default)"
          : '';
    ctx.out.push({
      range: ctx.lines.range(s, e),
      severity: 'error',
      code: 'wrong-type',
      path: formatPath(path),
      message: `\`${formatPath(path)}\` must be ${types.join(' or ')}, not ${describe(node, kind)}${hint}.`,
    });
    return;
  }
  if (schema.anyOf) {
    const branch = schema.anyOf
      .map((b) => deref(b, ctx.root))
      .find((b) => typeAccepts(acceptedTypes(b, ctx.root), kind));
    if (branch) validateNode(ctx, node, branch, path, keyNode);
    return;
  }
  if (isAlias(node)) return; // the anchor is checked where it is defined; expanding aliases invites alias bombs
  if (isScalar(node)) {
    checkScalarConstraints(ctx, node, schema, path, keyNode);
    return;
  }
  if (isSeq(node)) {
    if (!schema.items) return;
    for (const [i, item] of node.items.entries())
      validateNode(ctx, item, schema.items as JsonSchema, [...path, i], item);
    return;
  }
  if (isMap(node)) validateMap(ctx, node, schema, path);
}

function validateMap(ctx: WalkContext, map: YAMLMap, schema: JsonSchema, path: (string | number)[]): void {
  if (schema.additionalProperties !== false && typeof schema.additionalProperties !== 'object' && !schema.properties)
    return;
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    if (isMergeKey(pair.key)) {
      checkMergeKey(ctx, pair, schema, path);
      continue;
    }
    const key = String(pair.key.value);
    const childPath = [...path, key];
    const child = childSchema(schema, key, ctx.root);
    if (child === 'free') continue;
    if (child === undefined) {
      const legacyHere =
        ctx.layout === '2.x' &&
        childPath.every((p) => typeof p === 'string') &&
        (path.length === 0
          ? LEGACY_TOP_KEYS.has(key)
          : legacyRuleFor(childPath as string[]) !== undefined || hasLegacyRulesBelow(childPath as string[]));
      if (legacyHere) legacyKey(ctx, pair, childPath as string[]);
      else unknownKey(ctx, pair, key, childPath, schema);
      continue;
    }
    validateNode(ctx, pair.value, child, childPath, pair.key);
  }
}

// YAML 1.1 merge keys (`<<: *defaults`): check the merged keys exist here, without expanding nested aliases.
function checkMergeKey(ctx: WalkContext, pair: Pair, schema: JsonSchema, path: (string | number)[]): void {
  const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
  for (const source of sources) {
    const target = isAlias(source) ? aliasTarget(ctx.doc, source) : source;
    if (!isMap(target)) continue;
    for (const merged of target.items) {
      if (!isScalar(merged.key)) continue;
      const key = String(merged.key.value);
      if (childSchema(schema, key, ctx.root) === undefined) {
        const [s, e] = nodeRange(pair.key);
        ctx.out.push({
          range: ctx.lines.range(s, e),
          severity: 'error',
          code: 'unknown-key',
          path: formatPath([...path, key]),
          message: `The merged key \`${inlineText(key)}\` is unknown in ${path.length ? `\`${formatPath(path)}\`` : 'the top level'}: the chart ignores it.`,
        });
      }
    }
  }
}

/** Checks a parsed document against a layout's schema, appending diagnostics with ranges on the offending key or value. */
export function validateAgainstSchema(
  doc: Document,
  root: JsonSchema,
  lines: LineIndex,
  layout: ValuesLayout,
  valuesRoot: readonly string[],
  out: ValuesDiagnostic[],
): void {
  let node: unknown = doc.contents;
  for (const key of valuesRoot) node = isMap(node) ? node.get(key, true) : undefined;
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return;
  if (!isMap(node)) {
    const [s, e] = nodeRange(node);
    out.push({
      range: lines.range(s, e),
      severity: 'error',
      code: 'wrong-type',
      path: valuesRoot.join('.'),
      message: 'Chart values must be a map of keys at the top level.',
    });
    return;
  }
  validateMap({ doc, root, lines, layout, out }, node, root, []);
}
