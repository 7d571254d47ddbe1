import type { LineIndex } from './textPositions';

/** Where the cursor is in a values file, read from indentation only, so it works while the YAML is half typed. */
export interface CursorContext {
  kind: 'key' | 'value';
  /** Keys from the root down to the map the cursor is in (for `value`, down to the key being valued). */
  parentPath: string[];
  /** For `value`: the key whose value is being typed. */
  key?: string;
  /** The word typed so far, and where it starts. */
  partial: string;
  partialStart: number;
  /** Column of the keys of the map the cursor is in. */
  indent: number;
  /** Keys already present in that map. */
  siblings: Set<string>;
}

const KEY_LINE = /^(\s*)(?:-\s+)?([^\s#:][^:#]*?)\s*:(?:\s|$)/;

function indentOf(line: string): number {
  const m = /^(\s*)(-\s+)?/.exec(line);
  return (m?.[1]?.length ?? 0) + (m?.[2]?.length ?? 0);
}

function isContent(line: string): boolean {
  const t = line.trim();
  return t !== '' && !t.startsWith('#');
}

/** Walks up from `line` to the keys enclosing column `indent`. */
function parentKeys(lines: LineIndex, line: number, indent: number): string[] {
  const path: string[] = [];
  let want = indent;
  for (let l = line - 1; l >= 0 && want > 0; l--) {
    const text = lines.lineText(l);
    if (!isContent(text)) continue;
    const i = indentOf(text);
    if (i >= want) continue;
    const m = KEY_LINE.exec(text);
    if (!m) return path;
    path.unshift((m[2] as string).replace(/^["']|["']$/g, ''));
    want = (m[1] as string).length;
  }
  return path;
}

function siblingKeys(lines: LineIndex, line: number, indent: number): Set<string> {
  const keys = new Set<string>();
  for (const step of [-1, 1]) {
    for (let l = line + step; l >= 0 && l < lines.lineCount; l += step) {
      const text = lines.lineText(l);
      if (!isContent(text)) continue;
      const i = indentOf(text);
      if (i < indent) break;
      if (i === indent) {
        const m = KEY_LINE.exec(text);
        if (m) keys.add(m[2] as string);
      }
    }
  }
  return keys;
}

/** The completion context at an offset, or undefined inside comments, block scalars' text and other places with nothing to offer. */
export function cursorContext(lines: LineIndex, offset: number): CursorContext | undefined {
  const pos = lines.position(offset);
  const before = lines.text.slice(lines.lineStart(pos.line), offset);
  if (before.includes('#')) return undefined;
  const keyMatch = /^(\s*)(-\s+)?([\w$.\-/]*)$/.exec(before);
  if (keyMatch) {
    const indent = (keyMatch[1] as string).length + (keyMatch[2]?.length ?? 0);
    const partial = keyMatch[3] as string;
    return {
      kind: 'key',
      parentPath: parentKeys(lines, pos.line, indent === 0 && keyMatch[2] ? 1 : indent),
      partial,
      partialStart: offset - partial.length,
      indent,
      siblings: siblingKeys(lines, pos.line, indent),
    };
  }
  const valueMatch = /^(\s*)(-\s+)?([^\s#:][^:#]*?)\s*:\s+(\S*)$/.exec(before);
  if (valueMatch) {
    const indent = (valueMatch[1] as string).length + (valueMatch[2]?.length ?? 0);
    const key = valueMatch[3] as string;
    const partial = valueMatch[4] as string;
    return {
      kind: 'value',
      parentPath: parentKeys(lines, pos.line, indent),
      key,
      partial,
      partialStart: offset - partial.length,
      indent,
      siblings: new Set(),
    };
  }
  return undefined;
}
