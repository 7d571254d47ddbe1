// Parsing is most of the time of an analysis; typing in a value changes one scalar, so the previous parse is patched instead.
import { isCollection, isMap, isPair, isScalar, parseDocument, type Document, type Node, type Scalar } from 'yaml';
import { PARSE_OPTIONS, parseValues } from './parseValues';

/** One parse kept for reuse: its text and the document, patched in place when the next text differs by one scalar. */
interface Entry {
  text: string;
  doc: Document;
}

// A few files are open at once (the values file, its umbrella, a diff view); each keeps its own entry.
const MAX_ENTRIES = 4;
const entries: Entry[] = [];
// How often each path ran, so tests can tell the patched path was really taken.
const stats = { patched: 0, parsed: 0 };

function commonSuffix(before: string, after: string, prefix: number): number {
  const max = Math.min(before.length, after.length) - prefix;
  let tail = 0;
  while (tail < max && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail))
    tail++;
  return tail;
}

/** The changed span: `[start, oldEnd)` of `before` became `[start, newEnd)` of `after`. */
function changedSpan(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  const tail = commonSuffix(before, after, start);
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}

interface Slot {
  scalar: Scalar;
  replace: (node: Scalar) => void;
}

/** The scalar value (of a block map pair or block sequence item) whose text holds `[start, end]`, and how to swap it. */
function scalarAround(doc: Document, start: number, end: number): Slot | undefined {
  const holds = (node: unknown): node is Node =>
    !!node &&
    (node as Node).range !== undefined &&
    ((node as Node).range as number[])[0] <= start &&
    end <= ((node as Node).range as number[])[1];
  let node: unknown = doc.contents;
  while (isCollection(node) && !node.flow && holds(node)) {
    let next: unknown;
    for (let i = 0; i < node.items.length && next === undefined; i++) {
      const item = node.items[i];
      if (isPair(item)) {
        if (holds(item.key)) return undefined;
        if (holds(item.value)) {
          const pair = item;
          if (isScalar(pair.value)) return { scalar: pair.value, replace: (s) => (pair.value = s) };
          next = pair.value;
        }
      } else if (holds(item)) {
        const seq = node.items;
        if (isScalar(item)) return { scalar: item, replace: (s) => (seq[i] = s) };
        next = item;
      }
    }
    node = next;
  }
  return undefined;
}

/** The new scalar when `token` alone reads as one single-line plain or quoted scalar spanning all of it, with no anchor or tag. */
function lone(token: string): Scalar | undefined {
  if (token === '' || /[\n\r\t]/.test(token)) return undefined;
  const doc = parseDocument(`k: ${token}`, PARSE_OPTIONS);
  if (doc.errors.length > 0 || doc.warnings.length > 0 || !isMap(doc.contents) || doc.contents.items.length !== 1)
    return undefined;
  const value = doc.contents.items[0]?.value;
  // Block scalars (`|`, `>-`) take their text from the lines below, which `token` does not include.
  if (!isScalar(value) || (value.type !== 'PLAIN' && value.type !== 'QUOTE_DOUBLE' && value.type !== 'QUOTE_SINGLE'))
    return undefined;
  if (value.anchor || value.tag || value.comment || value.range?.[0] !== 3 || value.range[1] !== 3 + token.length)
    return undefined;
  return value;
}

function shiftRanges(node: unknown, from: number, delta: number): void {
  if (!node || typeof node !== 'object') return;
  if (isPair(node)) {
    shiftRanges(node.key, from, delta);
    shiftRanges(node.value, from, delta);
    return;
  }
  const range = (node as Node).range as number[] | undefined;
  if (range)
    for (let i = 0; i < range.length; i++) if ((range[i] as number) >= from) range[i] = (range[i] as number) + delta;
  if (isCollection(node)) for (const item of node.items) shiftRanges(item, from, delta);
}

/**
 * Patches `entry` for `text` when the change lies inside one single-line scalar value and the new text of that scalar
 * reads the same way on its own; the result then equals a fresh parse of `text`. False (entry untouched) otherwise.
 */
function patch(entry: Entry, text: string): boolean {
  const { doc } = entry;
  if (doc.errors.length > 0 || doc.warnings.length > 0) return false;
  const { start, oldEnd, newEnd } = changedSpan(entry.text, text);
  const slot = scalarAround(doc, start, oldEnd);
  const range = slot?.scalar.range;
  if (
    !slot ||
    !range ||
    slot.scalar.anchor ||
    slot.scalar.tag ||
    slot.scalar.type === 'BLOCK_LITERAL' ||
    slot.scalar.type === 'BLOCK_FOLDED'
  )
    return false;
  const [s, e] = range as [number, number, number];
  if (entry.text.slice(s, e).includes('\n')) return false;
  const delta = newEnd - oldEnd;
  const fresh = lone(text.slice(s, e + delta));
  if (!fresh) return false;
  fresh.range = [s, e + delta, range[2] + delta];
  if (slot.scalar.comment) fresh.comment = slot.scalar.comment;
  if (slot.scalar.commentBefore) fresh.commentBefore = slot.scalar.commentBefore;
  if (slot.scalar.spaceBefore) fresh.spaceBefore = slot.scalar.spaceBefore;
  if (delta !== 0) {
    shiftRanges(doc.contents, e, delta);
    const docRange = (doc as unknown as { range?: number[] }).range;
    if (docRange)
      for (let i = 0; i < docRange.length; i++)
        if ((docRange[i] as number) >= e) docRange[i] = (docRange[i] as number) + delta;
  }
  slot.replace(fresh);
  entry.text = text;
  return true;
}

/**
 * Like `parseValues`, but reuses a recent parse when only one scalar value changed (the common case while typing).
 * The returned document belongs to the cache and is changed by the next call: use it before calling again, never keep it.
 */
export function parseValuesIncremental(text: string): Document {
  const hit = entries.findIndex((e) => e.text === text);
  if (hit !== -1) {
    const [entry] = entries.splice(hit, 1) as [Entry];
    entries.unshift(entry);
    return entry.doc;
  }
  // The entry to patch: the one sharing the longest prefix with the new text, i.e. the same file a keystroke ago.
  let best: Entry | undefined;
  let bestPrefix = -1;
  for (const e of entries) {
    const { start } = changedSpan(e.text, text);
    if (start > bestPrefix && Math.abs(e.text.length - text.length) < 256) [best, bestPrefix] = [e, start];
  }
  if (best && patch(best, text)) {
    stats.patched++;
    return best.doc;
  }
  stats.parsed++;
  const entry = { text, doc: parseValues(text) };
  // A structural edit of the same file replaces its entry rather than pushing other files' entries out.
  if (best && 2 * (bestPrefix + commonSuffix(best.text, text, bestPrefix)) > text.length)
    entries.splice(entries.indexOf(best), 1);
  entries.unshift(entry);
  entries.length = Math.min(entries.length, MAX_ENTRIES);
  return entry.doc;
}

/** Forgets every kept parse (tests compare the patched path with fresh parses). */
export function clearParseCache(): void {
  entries.length = 0;
}

export function parseCacheStats(): { patched: number; parsed: number } {
  return { ...stats };
}
