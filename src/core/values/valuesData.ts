// The plain data Helm reads from a values document: aliases expanded within a budget, `<<` merges applied, and
// only plain keys (Helm refuses maps or lists as keys, and the yaml library's own toJS stringifies them: 1.3 GB for
// a few hundred nested `?` keys).
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import { aliasTarget } from './anchorIndex';
import { VALUES_LIMITS, type ValuesLimits } from './valuesLimits';

/** Aliases expanded past `maxExpandedValues`, or nested through aliases past four times `maxDepth`. */
export class AliasExpansionError extends Error {
  constructor(readonly offset: number) {
    super('Aliases expand too far.');
  }
}

/** True for a YAML 1.1 merge key: a plain `<<`, which the yaml library composes as a symbol. */
export function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return (typeof v === 'symbol' && v.description === '<<') || (v === '<<' && key.type === 'PLAIN');
}

/** A plain key as Helm's JSON conversion spells it; undefined for maps or lists used as keys. */
export function keyString(doc: Document, key: unknown): string | undefined {
  const k = isAlias(key) ? aliasTarget(doc, key) : key;
  if (k === null || k === undefined) return '';
  if (!isScalar(k)) return undefined;
  return k.value === null || k.value === undefined ? '' : String(k.value);
}

function set(target: Record<string, unknown>, key: string, value: unknown): void {
  // `__proto__` is an ordinary key in YAML; assigning it would replace the object's prototype instead.
  if (key === '__proto__')
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/**
 * The plain value of a node (a document's `contents`, or any node in it). Throws AliasExpansionError, never
 * anything else, when aliases expand past the limits; unresolvable aliases and collection keys are left out.
 */
export function plainValue(doc: Document, node: unknown, limits: ValuesLimits = VALUES_LIMITS): unknown {
  let left = limits.maxExpandedValues;
  const maxDepth = limits.maxDepth * 4;
  const convert = (n: unknown, depth: number): unknown => {
    if (n === null || n === undefined) return null;
    const offset = (n as Node).range?.[0] ?? 0;
    if (--left < 0 || depth > maxDepth) throw new AliasExpansionError(offset);
    if (isAlias(n)) {
      const target = aliasTarget(doc, n);
      return target ? convert(target, depth + 1) : null;
    }
    if (isScalar(n)) return n.value;
    if (isSeq(n)) return n.items.map((item) => convert(item, depth + 1));
    if (!isMap(n)) return null;
    const out: Record<string, unknown> = {};
    for (const pair of n.items as Pair[]) {
      if (isMergeKey(pair.key)) {
        // Keys already set win, and among several sources the first one wins (YAML 1.1 merge, as Helm reads it).
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const source of sources) {
          const merged = convert(source, depth + 1);
          if (merged && typeof merged === 'object' && !Array.isArray(merged)) {
            for (const [k, v] of Object.entries(merged)) if (!Object.hasOwn(out, k)) set(out, k, v);
          }
        }
        continue;
      }
      const key = keyString(doc, pair.key);
      if (key !== undefined) set(out, key, convert(pair.value, depth + 1));
    }
    return out;
  };
  return convert(node, 0);
}
