// Puts a render finding on the values line it comes from: of the finding's candidate paths, the first one the file
// has, else the one the file has most of; the range is that key (or its deepest ancestor present) in the text.
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { LineIndex } from '../values/textPositions';
import type { TextRange } from '../values/valuesTypes';

/** `a.b[0].c` as `['a', 'b', 0, 'c']`. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split('.'))
    for (const m of part.matchAll(/([^[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** How many leading segments of `path` the document has, and the range of the last one found. */
function locate(doc: Document, segments: readonly (string | number)[]): { depth: number; range?: [number, number] } {
  let node: unknown = doc.contents;
  let depth = 0;
  let range: [number, number] | undefined;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      if (!isSeq(node)) break;
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      if (item.range) range = [item.range[0], item.range[0] + 1];
      node = item;
    } else {
      if (!isMap(node)) break;
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      const r = (pair.key as Node).range;
      if (r) range = [r[0], r[1]];
      node = pair.value;
    }
    depth++;
  }
  return range ? { depth, range } : { depth };
}

/**
 * The best of `paths` (relative to `root`, an umbrella's `nats:` prefix) and its range: a path the file holds in
 * full wins, in the order given; else the deepest partial match; else the file's first line.
 */
export function locateValuesPath(
  doc: Document,
  lines: LineIndex,
  root: readonly string[],
  paths: readonly string[],
): { path: string; range: TextRange } {
  let best: { path: string; depth: number; range?: [number, number] } | undefined;
  for (const path of paths) {
    const segments = [...root, ...pathSegments(path)];
    const found = locate(doc, segments);
    if (found.depth === segments.length) {
      best = { path, ...found };
      break;
    }
    if (!best || found.depth > best.depth) best = { path, ...found };
  }
  const [s, e] = best?.range ?? [0, lines.lineEnd(0)];
  return { path: best?.path ?? '', range: lines.range(s, e) };
}
