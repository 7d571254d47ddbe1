// Where a migration's added keys go in the text: into the deepest block map the file already has, else at the top level.
import { isMap, isPair, isScalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { lastLineWithin, trailingComment } from './migrationComments';
import { emit, orderedKeys, prependComment, type Tree } from './migrationTree';
import type { LineIndex } from './textPositions';

export interface Insertion {
  start: number;
  end: number;
  text: string;
  /** Among edits at one offset: nested insertions (0) before new top-level blocks (1). */
  order: number;
}

function indentOf(lines: LineIndex, node: Node): number {
  const at = node.range?.[0] ?? 0;
  return at - lines.lineStart(lines.position(at).line);
}

/**
 * Insertions for `additions` below `root` (`[]`, or `['nats']` in an umbrella chart's values).
 * New top-level blocks go at `topAt` (where the first removed 0.x block was), else at the end.
 */
export function insertions(
  doc: Document,
  lines: LineIndex,
  root: readonly string[],
  additions: Tree,
  topAt: number | undefined,
): Insertion[] {
  const out: Insertion[] = [];
  const visit = (tree: Tree, path: string[], map: YAMLMap | undefined, mapIndent: number): void => {
    const fresh: Tree = new Map();
    for (const [key, entry] of tree) {
      const pair = map?.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
      const child = pair?.value;
      if (pair && entry.children) {
        // The key is already in the file, so its own line is not written: its comments go above its first new child.
        // Its trailing comments go after its last new child.
        const keys = orderedKeys(entry.children, [...path, key].slice(root.length));
        const firstEntry = entry.children.get(keys[0] ?? '');
        const lastEntry = entry.children.get(keys[keys.length - 1] ?? '');
        if (firstEntry)
          prependComment(firstEntry, [...(entry.comment ?? []), ...(entry.inline ? [entry.inline.trim()] : [])]);
        if (lastEntry && entry.trailing) lastEntry.trailing = [...(lastEntry.trailing ?? []), ...entry.trailing];
      }
      if (pair && entry.children && isMap(child) && child.items.length > 0 && !child.flow) {
        visit(entry.children, [...path, key], child, indentOf(lines, child.items[0]?.key as Node));
      } else if (
        pair &&
        entry.children &&
        (child === null || (isScalar(child) && child.value === null) || (isMap(child) && child.items.length === 0))
      ) {
        const valueNode = child as Node | null;
        const keyEnd = (pair.key as Node).range?.[1] ?? 0;
        out.push({
          start: valueNode?.range?.[0] ?? keyEnd,
          end: valueNode?.range?.[1] ?? keyEnd,
          text: `\n${emit(entry.children, mapIndent + 2, [...path, key].slice(root.length)).trimEnd()}`,
          order: 0,
        });
      } else if (pair && !entry.children && (child === null || (isScalar(child) && child.value === null))) {
        // The key is in the file without a value (the chart's own values.yaml has many): the value goes there, on the
        // key's own line(s), rather than into a second key of the same name, which Helm would read instead.
        const keyStart = (pair.key as Node).range?.[0] ?? 0;
        const keyLine = lines.position(keyStart).line;
        const indent = keyStart - lines.lineStart(keyLine);
        const lastLine = lastLineWithin(lines, keyLine, (child as Node | null)?.range?.[1] ?? keyStart, indent);
        const kept = {
          ...entry,
          inline: entry.inline ?? trailingComment(lines, (pair.key as Node).range?.[1] ?? keyStart),
        };
        out.push({
          start: lines.lineStart(keyLine),
          end: lines.lineEnd(lastLine),
          text: emit(new Map([[key, kept]]), indent, [...path, key].slice(root.length, -1)).trimEnd(),
          order: 0,
        });
      } else fresh.set(key, entry);
    }
    if (fresh.size === 0) return;
    if (!map || path.length === root.length) {
      const at = topAt ?? lines.text.length;
      const prefix = at === lines.text.length && !lines.text.endsWith('\n') && lines.text.length > 0 ? '\n' : '';
      out.push({
        start: at,
        end: at,
        text: prefix + emit(fresh, mapIndent, path.slice(root.length), at > 0),
        order: mapIndent > 0 ? 0 : 1,
      });
      return;
    }
    const last = map.items[map.items.length - 1] as Pair;
    const lastKeyStart = (last.key as Node).range?.[0] ?? 0;
    const end = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range?.[1] ?? 0;
    const at = lines.lineEnd(lastLineWithin(lines, lines.position(lastKeyStart).line, end, mapIndent)) + 1;
    out.push({ start: at, end: at, text: emit(fresh, mapIndent, path.slice(root.length), true), order: 0 });
  };
  const rootMap = root.reduce<unknown>((node, key) => (isMap(node) ? node.get(key, true) : undefined), doc.contents);
  const rootIndent =
    root.length > 0 && isMap(rootMap) && rootMap.items[0] ? indentOf(lines, rootMap.items[0].key as Node) : 0;
  visit(additions, [...root], isMap(rootMap) ? rootMap : undefined, rootIndent);
  return out;
}
