import { isUtf8 } from 'node:buffer';
import { DecodeBudget, formatCount, utf8Prefix } from './decodeBudget';
import { KineDecodeError } from './errors';
import { isPrintableUtf8 } from './printableText';

// A schema-less protobuf wire-format reader (kine-format.md §7.2): enough to read runtime.Unknown, TypeMeta and
// ObjectMeta by field number and to show everything else as a field tree.

export type WireType = 0 | 1 | 2 | 5;

export interface RawField {
  readonly field: number;
  readonly wireType: WireType;
  /** Varints and fixed numbers: a number when exact, else a decimal string. Length-delimited: the bytes. */
  readonly value: number | string | Uint8Array;
}

/** A display tree of unknown protobuf: nested messages when the bytes parse as one, else text or hex. */
export type FieldTreeNode =
  | { readonly field: number; readonly type: 'varint' | 'fixed64' | 'fixed32'; readonly value: number | string }
  /** `cut` says why only part of the text is shown. */
  | { readonly field: number; readonly type: 'string'; readonly value: string; readonly cut?: string }
  /** `hex` shows at most the first 4096 bytes; `cut` says when the text budget showed fewer. */
  | {
      readonly field: number;
      readonly type: 'bytes';
      readonly hex: string;
      readonly size: number;
      readonly cut?: string;
    }
  | { readonly field: number; readonly type: 'message'; readonly fields: FieldTreeNode[] }
  /** Where the tree stops: the node limit reached here (from this field on), or a message nested too deep. */
  | { readonly field: number; readonly type: 'cut'; readonly reason: string };

/** Fields one strict read accepts (ObjectMeta and the wrappers); the display tree is bounded by its budget instead. */
const MAX_FIELDS = 200_000;
const MAX_HEX_BYTES = 4096;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the top-level fields of one message; throws `KineDecodeError('bad-protobuf')` on any malformed byte. */
export function readProtoFields(bytes: Uint8Array): RawField[] {
  const fields: RawField[] = [];
  walkFields(bytes, (field, wireType, start, end) => {
    if (fields.length >= MAX_FIELDS) throw bad(`more than ${MAX_FIELDS} fields`);
    fields.push(rawField(bytes, field, wireType, start, end));
  });
  return fields;
}

/**
 * Builds a display tree within `budget` (default: `DEFAULT_DECODE_LIMITS`); bytes that parse as a message become one
 * (a heuristic: protobuf has no schema on the wire). Where the budget runs out, a `cut` node says so and how much
 * was left out. Throws `KineDecodeError('bad-protobuf')` when `bytes` is not a message.
 */
export function fieldTree(
  bytes: Uint8Array,
  budget = new DecodeBudget(),
  path: readonly number[] = [],
): FieldTreeNode[] {
  walkFields(bytes);
  return messageTree(bytes, budget, path);
}

/** The tree of bytes already known to be a message. */
function messageTree(bytes: Uint8Array, budget: DecodeBudget, path: readonly number[]): FieldTreeNode[] {
  const out: FieldTreeNode[] = [];
  walkFields(bytes, (field, wireType, start, end, keyStart) => {
    if (!budget.node()) {
      out.push(cutNode(field, budget, path, out.length, walkFields(bytes.subarray(keyStart))));
      return false;
    }
    out.push(nodeOf(rawField(bytes, field, wireType, start, end), budget, path));
    return true;
  });
  return out;
}

/** The display tree of already-read fields (see `fieldTree`). */
export function treeOf(
  fields: readonly RawField[],
  budget = new DecodeBudget(),
  path: readonly number[] = [],
): FieldTreeNode[] {
  const out: FieldTreeNode[] = [];
  for (const [i, f] of fields.entries()) {
    if (!budget.node()) {
      out.push(cutNode(f.field, budget, path, i, fields.length - i));
      break;
    }
    out.push(nodeOf(f, budget, path));
  }
  return out;
}

function nodeOf(f: RawField, budget: DecodeBudget, path: readonly number[]): FieldTreeNode {
  if (f.wireType === 0) return { field: f.field, type: 'varint', value: f.value as number | string };
  if (f.wireType === 1) return { field: f.field, type: 'fixed64', value: f.value as number | string };
  if (f.wireType === 5) return { field: f.field, type: 'fixed32', value: f.value as number };
  const data = f.value as Uint8Array;
  const here = [...path, f.field];
  const printable = isPrintableUtf8(data);
  // Printable bytes that also parse as a message are ambiguous: a message only when its first tag is plausible.
  if ((!printable || looksLikeMessage(data)) && data.length > 0 && isMessage(data)) {
    if (here.length > budget.limits.maxDepth)
      return { field: f.field, type: 'cut', reason: budget.depthCut(where(here)) };
    return { field: f.field, type: 'message', fields: messageTree(data, budget, here) };
  }
  if (printable) {
    const shown = budget.text(data.length);
    const value = utf8Prefix(data, shown);
    if (shown >= data.length) return { field: f.field, type: 'string', value };
    return {
      field: f.field,
      type: 'string',
      value,
      cut: budget.textCut(where(here), Buffer.byteLength(value), data.length),
    };
  }
  const wanted = Math.min(data.length, MAX_HEX_BYTES);
  const shownBytes = Math.floor(budget.text(wanted * 2) / 2);
  const hex = Buffer.from(data.buffer, data.byteOffset, shownBytes).toString('hex');
  if (shownBytes >= wanted) return { field: f.field, type: 'bytes', hex, size: data.length };
  return {
    field: f.field,
    type: 'bytes',
    hex,
    size: data.length,
    cut: budget.textCut(where(here), shownBytes, data.length),
  };
}

function cutNode(
  field: number,
  budget: DecodeBudget,
  path: readonly number[],
  shown: number,
  leftOut: number,
): FieldTreeNode {
  const at = path.length
    ? `${where(path)} after ${formatCount(shown)} fields`
    : `the top level after ${formatCount(shown)} fields`;
  return { field, type: 'cut', reason: budget.nodeCut(at, leftOut) };
}

function where(path: readonly number[]): string {
  return `field ${path.join('.')}`;
}

/** First field with this number and wire type 2, as UTF-8 text (protobuf strings are UTF-8). */
export function stringField(fields: readonly RawField[], field: number): string | undefined {
  const f = fields.find((x) => x.field === field && x.wireType === 2);
  if (!f) return undefined;
  try {
    return strictUtf8.decode(f.value as Uint8Array);
  } catch {
    throw bad(`field ${field} is not UTF-8 text`);
  }
}

/** First field with this number and wire type 2, checked to be UTF-8 but not decoded (for text shown in part). */
export function utf8Field(fields: readonly RawField[], field: number): Uint8Array | undefined {
  const f = fields.find((x) => x.field === field && x.wireType === 2);
  if (!f) return undefined;
  if (!isUtf8(f.value as Uint8Array)) throw bad(`field ${field} is not UTF-8 text`);
  return f.value as Uint8Array;
}

export function bytesField(fields: readonly RawField[], field: number): Uint8Array | undefined {
  const f = fields.find((x) => x.field === field && x.wireType === 2);
  return f ? (f.value as Uint8Array) : undefined;
}

export function varintField(fields: readonly RawField[], field: number): number | string | undefined {
  const f = fields.find((x) => x.field === field && x.wireType === 0);
  return f ? (f.value as number | string) : undefined;
}

/**
 * Walks the fields of one message without keeping them: `visit` gets each field's number, wire type, where its value
 * starts and ends (a varint's own bytes; a length-delimited field's payload) and where its tag starts, and stops the
 * walk by returning false. Returns the number of fields visited. Throws `KineDecodeError('bad-protobuf')`.
 */
function walkFields(
  bytes: Uint8Array,
  visit?: (field: number, wireType: WireType, start: number, end: number, keyStart: number) => boolean | undefined,
): number {
  let pos = 0;
  let count = 0;
  while (pos < bytes.length) {
    const keyStart = pos;
    const [key, afterKey] = readVarintNumber(bytes, pos);
    const field = Math.floor(key / 8);
    const wireType = key % 8;
    if (field < 1 || field > 536_870_911) throw bad(`field number ${field} is out of range`);
    let start = afterKey;
    let end: number;
    switch (wireType) {
      case 0:
        end = readVarintNumber(bytes, start)[1];
        break;
      case 1:
        if (start + 8 > bytes.length) throw bad('a fixed64 runs past the end');
        end = start + 8;
        break;
      case 2: {
        const [len, next] = readVarintNumber(bytes, start);
        if (len > bytes.length - next) throw bad(`a length of ${len} runs past the end`);
        start = next;
        end = next + len;
        break;
      }
      case 5:
        if (start + 4 > bytes.length) throw bad('a fixed32 runs past the end');
        end = start + 4;
        break;
      default:
        throw bad(`wire type ${wireType} is not one this reader accepts (groups are deprecated)`);
    }
    count++;
    if (visit && visit(field, wireType, start, end, keyStart) === false) return count;
    pos = end;
  }
  return count;
}

function rawField(bytes: Uint8Array, field: number, wireType: WireType, start: number, end: number): RawField {
  switch (wireType) {
    case 0:
      return { field, wireType, value: exact(readVarint(bytes, start)[0]) };
    case 1:
      return {
        field,
        wireType,
        value: exact(new DataView(bytes.buffer, bytes.byteOffset + start, 8).getBigUint64(0, true)),
      };
    case 5:
      return { field, wireType, value: new DataView(bytes.buffer, bytes.byteOffset + start, 4).getUint32(0, true) };
    default:
      return { field, wireType, value: bytes.subarray(start, end) };
  }
}

/** A varint as a number (tags and lengths; exact below 2^53, which is all a length or tag can be). */
function readVarintNumber(bytes: Uint8Array, start: number): [number, number] {
  let result = 0;
  let scale = 1;
  for (let pos = start; pos < bytes.length && pos < start + 10; pos++) {
    const b = bytes[pos];
    result += (b & 0x7f) * scale;
    if (b < 0x80) return [result, pos + 1];
    scale *= 128;
  }
  throw bad(bytes.length - start < 10 ? 'a varint runs past the end' : 'a varint is longer than 10 bytes');
}

function readVarint(bytes: Uint8Array, start: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let pos = start; pos < bytes.length && pos < start + 10; pos++) {
    const b = bytes[pos];
    result |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [result, pos + 1];
    shift += 7n;
  }
  throw bad(bytes.length - start < 10 ? 'a varint runs past the end' : 'a varint is longer than 10 bytes');
}

function exact(v: bigint): number | string {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Whether the bytes parse as one message, without keeping anything. */
function isMessage(data: Uint8Array): boolean {
  try {
    walkFields(data);
    return true;
  } catch {
    return false;
  }
}

/** Printable bytes that also parse as a message are ambiguous; prefer message only when its first tag is plausible. */
function looksLikeMessage(data: Uint8Array): boolean {
  return data.length > 1 && (data[0] & 7) === 2 && data[0] >> 3 >= 1 && data[0] >> 3 <= 15 && data[1] < data.length;
}

function bad(why: string): KineDecodeError {
  return new KineDecodeError('bad-protobuf', `the protobuf is malformed: ${why}`);
}
