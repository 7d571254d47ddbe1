import { KineDecodeError } from './errors';

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
  | { readonly field: number; readonly type: 'string'; readonly value: string }
  | { readonly field: number; readonly type: 'bytes'; readonly hex: string; readonly size: number }
  | { readonly field: number; readonly type: 'message'; readonly fields: FieldTreeNode[] };

const MAX_FIELDS = 200_000;
const MAX_DEPTH = 24;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads the top-level fields of one message; throws `KineDecodeError('bad-protobuf')` on any malformed byte. */
export function readProtoFields(bytes: Uint8Array): RawField[] {
  const fields: RawField[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (fields.length >= MAX_FIELDS) throw bad(`more than ${MAX_FIELDS} fields`);
    const [key, afterKey] = readVarint(bytes, pos);
    pos = afterKey;
    const field = Math.floor(Number(key) / 8);
    const wireType = Number(key) % 8;
    if (field < 1 || field > 536_870_911) throw bad(`field number ${field} is out of range`);
    switch (wireType) {
      case 0: {
        const [v, next] = readVarint(bytes, pos);
        fields.push({ field, wireType: 0, value: exact(v) });
        pos = next;
        break;
      }
      case 1:
        if (pos + 8 > bytes.length) throw bad('a fixed64 runs past the end');
        fields.push({ field, wireType: 1, value: exact(new DataView(bytes.buffer, bytes.byteOffset + pos, 8).getBigUint64(0, true)) });
        pos += 8;
        break;
      case 2: {
        const [len, next] = readVarint(bytes, pos);
        if (len > BigInt(bytes.length - next)) throw bad(`a length of ${len} runs past the end`);
        const end = next + Number(len);
        fields.push({ field, wireType: 2, value: bytes.subarray(next, end) });
        pos = end;
        break;
      }
      case 5:
        if (pos + 4 > bytes.length) throw bad('a fixed32 runs past the end');
        fields.push({ field, wireType: 5, value: new DataView(bytes.buffer, bytes.byteOffset + pos, 4).getUint32(0, true) });
        pos += 4;
        break;
      default:
        throw bad(`wire type ${wireType} is not one this reader accepts (groups are deprecated)`);
    }
  }
  return fields;
}

/** Builds a display tree; bytes that parse as a message become one (a heuristic: protobuf has no schema on the wire). */
export function fieldTree(bytes: Uint8Array, depth = 0): FieldTreeNode[] {
  return treeOf(readProtoFields(bytes), depth);
}

/** The display tree of already-read fields (see `fieldTree`). */
export function treeOf(fields: readonly RawField[], depth = 0): FieldTreeNode[] {
  return fields.map((f): FieldTreeNode => {
    if (f.wireType === 0) return { field: f.field, type: 'varint', value: f.value as number | string };
    if (f.wireType === 1) return { field: f.field, type: 'fixed64', value: f.value as number | string };
    if (f.wireType === 5) return { field: f.field, type: 'fixed32', value: f.value as number };
    const data = f.value as Uint8Array;
    const text = printableText(data);
    if (text !== undefined && !looksLikeMessage(data)) return { field: f.field, type: 'string', value: text };
    if (depth < MAX_DEPTH && data.length > 0) {
      try {
        return { field: f.field, type: 'message', fields: fieldTree(data, depth + 1) };
      } catch {
        // not a message: fall through to text or bytes
      }
    }
    if (text !== undefined) return { field: f.field, type: 'string', value: text };
    return { field: f.field, type: 'bytes', hex: Buffer.from(data.subarray(0, 4096)).toString('hex'), size: data.length };
  });
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

export function bytesField(fields: readonly RawField[], field: number): Uint8Array | undefined {
  const f = fields.find((x) => x.field === field && x.wireType === 2);
  return f ? (f.value as Uint8Array) : undefined;
}

export function varintField(fields: readonly RawField[], field: number): number | string | undefined {
  const f = fields.find((x) => x.field === field && x.wireType === 0);
  return f ? (f.value as number | string) : undefined;
}

function readVarint(bytes: Uint8Array, start: number): [bigint, number] {
  // Fast path: tags and lengths are almost always under 2^28 (at most 4 bytes).
  let small = 0;
  for (let pos = start, shift = 0; pos < bytes.length && shift < 28; pos++, shift += 7) {
    const b = bytes[pos];
    small |= (b & 0x7f) << shift;
    if (b < 0x80) return [BigInt(small), pos + 1];
  }
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

function printableText(data: Uint8Array): string | undefined {
  try {
    const text = strictUtf8.decode(data);
    return /^[^\x00-\x08\x0e-\x1f\x7f]*$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/** Printable bytes that also parse as a message are ambiguous; prefer message only when its first tag is plausible. */
function looksLikeMessage(data: Uint8Array): boolean {
  return data.length > 1 && (data[0] & 7) === 2 && data[0] >> 3 >= 1 && data[0] >> 3 <= 15 && data[1] < data.length;
}

function bad(why: string): KineDecodeError {
  return new KineDecodeError('bad-protobuf', `the protobuf is malformed: ${why}`);
}
