// Finds the comments that belong to a key, so migration can move them with the key instead of deleting them.
import type { Node, Pair } from 'yaml';
import type { LineIndex } from './textPositions';

const COMMENT_LINE = /^\s*#/;
// Lines before the banner that neither end it nor belong to a key: blank lines, `---` and `%` directives.
const PREAMBLE_LINE = /^\s*$|^---\s*(#.*)?$|^%/;

/**
 * The first line after the file's banner: the first comment block, after any blank lines and document markers.
 * The banner describes the file, not the first key, so it stays at the top when that key moves; a comment block
 * separated from it by a blank line is the key's own and moves with it.
 */
export function bannerEnd(lines: LineIndex): number {
  let line = 0;
  while (line < lines.lineCount && PREAMBLE_LINE.test(lines.lineText(line))) line++;
  while (line < lines.lineCount && COMMENT_LINE.test(lines.lineText(line))) line++;
  return line;
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

/**
 * Comment lines directly above `line` (no blank line between), never reaching into the banner; raw, trimmed text.
 * Lines indented deeper than the key belong to the block before it (commented-out examples), so they stop the run.
 */
export function commentAbove(lines: LineIndex, line: number, floor: number): { text: string[]; firstLine: number } {
  const indent = indentOf(lines.lineText(line));
  let first = line;
  while (first > floor && COMMENT_LINE.test(lines.lineText(first - 1)) && indentOf(lines.lineText(first - 1)) <= indent)
    first--;
  const text = Array.from({ length: line - first }, (_, i) => lines.lineText(first + i).trim());
  return { text, firstLine: first };
}

/** A `# …` comment after `offset` on the same line (the trailing comment of a key or scalar) with the spaces before it. */
export function trailingComment(lines: LineIndex, offset: number): string | undefined {
  const line = lines.position(offset).line;
  const rest = lines.text.slice(offset, lines.lineEnd(line));
  return /^\s*?:?(\s+#.*)$/.exec(rest)?.[1]?.trimEnd();
}

/** The trailing comment of a pair's key line: after a scalar value, or after `key:` when the value is a block below. */
export function keyLineComment(lines: LineIndex, pair: Pair): string | undefined {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  const keyLine = lines.position(key.range?.[0] ?? 0).line;
  const valueStart = value?.range?.[0];
  if (valueStart !== undefined && lines.position(valueStart).line === keyLine) {
    const valueEnd = value?.range?.[1] ?? valueStart;
    return lines.position(valueEnd).line === keyLine ? trailingComment(lines, valueEnd) : undefined;
  }
  return trailingComment(lines, key.range?.[1] ?? 0);
}

/**
 * The lines of a block value (the lines after its key line up to `lastLine`), dedented, blank lines kept:
 * copying them keeps the comments, quoting and key order that re-serializing the parsed value would lose.
 */
export function blockLines(lines: LineIndex, keyLine: number, lastLine: number): string[] {
  const body = Array.from({ length: lastLine - keyLine }, (_, i) => lines.lineText(keyLine + 1 + i));
  const indents = body.filter((l) => l.trim() !== '').map(indentOf);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return body.map((l) => (l.trim() === '' ? '' : l.slice(cut)));
}

/** The comment lines in `from..to` (inclusive), raw and trimmed: a block's trailing comments. */
export function commentLines(lines: LineIndex, from: number, to: number): string[] {
  const out: string[] = [];
  for (let l = from; l <= to; l++) if (COMMENT_LINE.test(lines.lineText(l))) out.push(lines.lineText(l).trim());
  return out;
}

/**
 * The last line of what starts on `firstLine` at column `indent` and ends at offset `end` (a yaml range end). The yaml
 * library's range of a value that ends in a nested block runs over the comment lines above the next key, and even
 * over the next key's indentation: those lines are not the value's. A block list may sit at `indent` itself.
 */
export function lastLineWithin(lines: LineIndex, firstLine: number, end: number, indent: number): number {
  let last = lines.position(Math.max(lines.lineStart(firstLine), end - 1)).line;
  const after = (line: string): boolean => {
    const text = line.trim();
    const at = indentOf(line);
    if (text === '') return true;
    if (text.startsWith('#')) return at <= indent;
    return at < indent || (at === indent && !/^-(\s|$)/.test(text));
  };
  while (last > firstLine && after(lines.lineText(last))) last--;
  return last;
}
