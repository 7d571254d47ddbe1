import { parse } from 'yaml';

/**
 * One key whose value an upgrade changes. `removed` means the key is in the release's user-supplied values but not
 * in the file: `helm upgrade` (without --reuse-values) sets it back to the chart's default.
 */
export interface ValueChange {
  /** Dotted path; a key that itself holds a dot is written in brackets, e.g. `podTemplate.merge.metadata.annotations["a.b/c"]`. */
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Thrown when the values file is not YAML or its root is not a mapping. */
export class ValuesFileError extends Error {
  override readonly name = 'ValuesFileError';
}

/** Parses a values file's text; an empty file is `{}`. */
export function parseValuesText(text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = parse(text);
  } catch (err) {
    throw new ValuesFileError(
      `The values file is not valid YAML (${(err as Error).message.split('\n')[0]}): fix it before installing.`,
    );
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new ValuesFileError(
      'The values file must hold a mapping of keys at its top level: fix it before installing.',
    );
  return data as Record<string, unknown>;
}

/**
 * The keys that differ between the release's current user-supplied values and the file's, sorted by path.
 * Maps are compared key by key; lists and scalars are compared whole, as helm replaces a list whole.
 */
export function diffValues(current: Record<string, unknown>, desired: Record<string, unknown>): ValueChange[] {
  const changes: ValueChange[] = [];
  walk(current, desired, '', changes);
  return changes.sort((a, b) => a.path.localeCompare(b.path));
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(prefix: string, key: string): string {
  if (/^[A-Za-z0-9_$-]+$/.test(key)) return prefix ? `${prefix}.${key}` : key;
  return `${prefix}[${JSON.stringify(key)}]`;
}

function walk(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  prefix: string,
  out: ValueChange[],
): void {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const path = join(prefix, key);
    const inBefore = Object.hasOwn(before, key);
    const inAfter = Object.hasOwn(after, key);
    const b = before[key];
    const a = after[key];
    if (!inAfter) out.push({ path, kind: 'removed', before: b });
    else if (!inBefore) out.push({ path, kind: 'added', after: a });
    else if (isMap(b) && isMap(a)) walk(b, a, path, out);
    else if (!sameValue(b, a)) out.push({ path, kind: 'changed', before: b, after: a });
  }
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && sameValue(a[k], b[k]));
  }
  return false;
}
