import { DecodeBudget, formatCount, utf8Prefix } from './decodeBudget';
import { boundedJson } from './boundedJson';
import { KineDecodeError } from './errors';
import { goDuration, rfc3339Micros, rfc3339Seconds } from './goJsonValues';
import {
  fieldsOf,
  k8sDescriptor,
  messageOfKind,
  specialOf,
  type FieldDescriptor,
  type K8sDescriptor,
} from './k8sDescriptor';
import { readProtoFields, type RawField } from './protobuf';
import { applyReadDefaults } from './readDefaults';

export type JsonObject = Record<string, unknown>;

/**
 * The object the API server would return for a stored built-in (`raw` of runtime.Unknown), by the generated
 * descriptor: JSON names in Go struct order, omitempty, inline embeds and the special types (k8s-protobuf.md §2–§4);
 * `apiVersion` and `kind` first, as kubectl shows them (the API's own bytes put `kind` first). Returns undefined when
 * the descriptor does not know the kind. Stays within `budget`: what it leaves out is replaced, where it was, by a
 * string starting with `…`. Throws `KineDecodeError('bad-protobuf')` on malformed bytes or bytes that do not fit the
 * kind. `metadata.resourceVersion` is empty, as stored: the API sets it from the kine revision. Read-time defaults the
 * API server adds are added (readDefaults.ts).
 */
export function decodeK8sJson(
  apiVersion: string,
  kind: string,
  raw: Uint8Array,
  budget = new DecodeBudget(),
  descriptor = k8sDescriptor(),
): JsonObject | undefined {
  const message = messageOfKind(apiVersion, kind, descriptor);
  if (message === undefined) return undefined;
  const out: JsonObject = { apiVersion, kind };
  new Renderer(descriptor, budget).message(message, raw, '$', 0, out);
  applyReadDefaults(apiVersion, kind, out);
  return out;
}

class Renderer {
  constructor(
    private readonly d: K8sDescriptor,
    private readonly budget: DecodeBudget,
  ) {}

  /** Writes the fields of message `index` read from `bytes` (absent: its zero value) into `out`. */
  message(index: number, bytes: Uint8Array | undefined, path: string, depth: number, out: JsonObject): JsonObject {
    const byNumber = new Map<number, RawField[]>();
    for (const f of bytes?.length ? readProtoFields(bytes) : []) {
      const list = byNumber.get(f.field);
      if (list) list.push(f);
      else byNumber.set(f.field, [f]);
    }
    const fields = fieldsOf(this.d.messages[index]);
    for (const [i, field] of fields.entries()) {
      const raws = byNumber.get(field[0]);
      // A node is what is shown: fields on the wire, and absent ones that still print (a zero, null or {}).
      if ((raws || printsWhenAbsent(field)) && !this.budget.node()) {
        out['…'] = this.budget.nodeCut(`${path} after ${formatCount(i)} fields`, fields.length - i);
        break;
      }
      this.field(field, raws, path, depth, out);
    }
    return out;
  }

  private field(
    [, name, type, flags, mapKey]: FieldDescriptor,
    raws: RawField[] | undefined,
    path: string,
    depth: number,
    out: JsonObject,
  ): void {
    const omitEmpty = flags.includes('o');
    const here = `${path}.${name}`;
    if (flags.includes('i')) {
      // An inline embed prints its fields in its parent's place; a nil embedded pointer prints nothing.
      if (raws || !flags.includes('p')) this.nested(type as number, lastBytes(raws), here, depth, out);
      return;
    }
    if (flags.includes('m') || flags.includes('r')) {
      // Go slices and maps: nil unless on the wire (gogo never makes an empty one); nil is dropped or null.
      if (!raws) {
        if (!omitEmpty) out[name] = null;
        return;
      }
      out[name] = flags.includes('m')
        ? this.map(raws, type, mapKey ?? 'string', here, depth)
        : this.list(raws, type, here, depth);
      return;
    }
    const raw = raws?.at(-1);
    if (typeof type === 'number') {
      if (flags.includes('p') && !raw) {
        if (!omitEmpty) out[name] = null;
        return;
      }
      const bytes = raw ? asBytes(raw) : undefined;
      if (flags.includes('z') && !bytes?.length) return;
      out[name] = this.value(type, bytes, here, depth);
      return;
    }
    if (flags.includes('p') && !raw) {
      if (!omitEmpty) out[name] = null;
      return;
    }
    if (type === 'bytes') {
      // []byte: nil when absent, dropped by omitempty when empty.
      if (!raw ? omitEmpty : omitEmpty && asBytes(raw).length === 0) return;
      out[name] = raw ? this.base64(asBytes(raw), here) : null;
      return;
    }
    const value = raw ? this.scalar(raw, type, here) : zeroOf(type);
    if (omitEmpty && !flags.includes('p') && isZero(value)) return;
    if (flags.includes('z') && !flags.includes('p') && isZero(value)) return;
    out[name] = value;
  }

  /** A message field's JSON: a special type's own form, or an object of its fields. */
  private value(type: number, bytes: Uint8Array | undefined, path: string, depth: number): unknown {
    const message = this.d.messages[type];
    const special = specialOf(message);
    if (special) return this.special(special, type, bytes, path, depth);
    if (depth + 1 >= this.budget.limits.maxDepth) return `… ${this.budget.depthCut(path)}`;
    return this.message(type, bytes, path, depth + 1, {});
  }

  private nested(type: number, bytes: Uint8Array | undefined, path: string, depth: number, out: JsonObject): void {
    if (depth + 1 >= this.budget.limits.maxDepth) {
      out['…'] = this.budget.depthCut(path);
      return;
    }
    this.message(type, bytes, path, depth + 1, out);
  }

  private special(kind: string, type: number, bytes: Uint8Array | undefined, path: string, depth: number): unknown {
    const f = bytes?.length ? readProtoFields(bytes) : [];
    switch (kind) {
      case 'time':
        // A zero Time is written as an empty message and printed as null.
        return bytes?.length ? rfc3339Seconds(signed(num(f, 1))) : null;
      case 'microtime':
        return bytes?.length ? rfc3339Micros(signed(num(f, 1)), signed(num(f, 2))) : null;
      case 'duration':
        return goDuration(signed(num(f, 1)));
      case 'quantity': {
        const s = lastOf(f, 1, 2);
        return s ? this.text(asBytes(s), path) : '0';
      }
      case 'intorstring': {
        const isString = Number(num(f, 1)) === 1;
        const s = lastOf(f, 3, 2);
        return isString ? (s ? this.text(asBytes(s), path) : '') : Number(BigInt.asIntN(32, num(f, 2)));
      }
      case 'raw': {
        const r = lastOf(f, 1, 2);
        return r ? this.embeddedJson(asBytes(r), path, depth) : null;
      }
      case 'array': {
        const items = f.filter((x) => x.field === 1);
        return items.length ? this.list(items, fieldsOf(this.d.messages[type])[0]?.[2] ?? 'string', path, depth) : null;
      }
      default:
        return null;
    }
  }

  private list(raws: RawField[], type: string | number, path: string, depth: number): unknown[] {
    const items: unknown[] = [];
    const values = typeof type === 'number' ? raws : raws.flatMap((r) => unpack(r, type));
    for (const [i, r] of values.entries()) {
      if (!this.budget.node()) {
        items.push(`… ${this.budget.nodeCut(`${path} after ${formatCount(i)} items`, values.length - i, 'items')}`);
        break;
      }
      const here = `${path}[${i}]`;
      items.push(
        typeof type === 'number'
          ? this.value(type, asBytes(r), here, depth)
          : type === 'bytes'
            ? this.base64(asBytes(r), here)
            : this.scalar(r, type, here),
      );
    }
    return items;
  }

  /** A map as Go's encoding/json prints one: keys sorted. */
  private map(raws: RawField[], type: string | number, keyType: string, path: string, depth: number): JsonObject {
    const entries: [string, unknown][] = [];
    for (const [i, entry] of raws.entries()) {
      if (!this.budget.node()) {
        entries.push(['…', this.budget.nodeCut(`${path} after ${formatCount(i)} entries`, raws.length - i, 'entries')]);
        break;
      }
      const kv = readProtoFields(asBytes(entry));
      const k = lastOf(kv, 1);
      const key = k ? String(this.scalar(k, keyType, `${path} key ${i + 1}`)) : String(zeroOf(keyType));
      const v = lastOf(kv, 2);
      const here = `${path}[${JSON.stringify(key.slice(0, 64))}]`;
      entries.push([key, this.mapValue(v, type, here, depth)]);
    }
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  }

  /** A map entry's value; an absent one is its type's zero (a message's zero object, `""`, 0, false). */
  private mapValue(v: RawField | undefined, type: string | number, path: string, depth: number): unknown {
    if (typeof type === 'number') return this.value(type, v && asBytes(v), path, depth);
    if (!v) return type === 'bytes' ? null : zeroOf(type);
    return type === 'bytes' ? this.base64(asBytes(v), path) : this.scalar(v, type, path);
  }

  private scalar(f: RawField, type: string, path: string): unknown {
    const wire =
      type === 'string' || type === 'bytes'
        ? 2
        : type === 'double' || type === 'fixed64'
          ? 1
          : type === 'float' || type === 'fixed32'
            ? 5
            : 0;
    if (f.wireType !== wire)
      throw new KineDecodeError(
        'bad-protobuf',
        `the protobuf does not match its type: ${path} is a ${type} but has wire type ${f.wireType}`,
      );
    switch (type) {
      case 'string':
        return this.text(asBytes(f), path);
      case 'bool':
        return f.value !== 0;
      case 'double':
        return new DataView(BigUint64Array.of(BigInt(f.value as number | string)).buffer).getFloat64(0, true);
      case 'float':
        return new DataView(Uint32Array.of(Number(f.value)).buffer).getFloat32(0, true);
      case 'int32':
      case 'int64':
      case 'sint32':
      case 'sint64': {
        const v = BigInt.asIntN(64, BigInt(f.value as number | string));
        return type.startsWith('sint') ? Number((v >> 1n) ^ -(v & 1n)) : Number(v);
      }
      default:
        return Number(f.value);
    }
  }

  private text(data: Uint8Array, path: string): string {
    const shown = this.budget.text(data.length);
    const text = utf8Prefix(data, shown);
    return shown >= data.length
      ? text
      : `${text}… (${this.budget.textCut(path, Buffer.byteLength(text), data.length)})`;
  }

  private base64(data: Uint8Array, path: string): string {
    const wanted = Math.ceil(data.length / 3) * 4;
    const shown = this.budget.text(wanted);
    const text = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, Math.floor(shown / 4) * 3)).toString(
      'base64',
    );
    return shown >= wanted ? text : `${text}… (${this.budget.textCut(path, text.length, wanted, 'characters')})`;
  }

  /** RawExtension and FieldsV1 hold JSON the API prints as is. */
  private embeddedJson(data: Uint8Array, path: string, depth: number): unknown {
    if (data.length > 3 && data[0] === 0xd9 && data[1] === 0xd9 && data[2] === 0xf7)
      return `… ${this.budget.cut(`Cut at ${path}: embedded CBOR is not decoded.`)}`;
    try {
      return boundedJson(
        JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.length).toString('utf8')),
        this.budget,
        path,
        depth + 1,
      );
    } catch {
      return this.text(data, path);
    }
  }
}

function asBytes(f: RawField): Uint8Array {
  if (!(f.value instanceof Uint8Array))
    throw new KineDecodeError('bad-protobuf', `the protobuf is malformed: field ${f.field} should be length-delimited`);
  return f.value;
}

function lastBytes(raws: RawField[] | undefined): Uint8Array | undefined {
  const r = raws?.at(-1);
  return r && asBytes(r);
}

function lastOf(fields: readonly RawField[], field: number, wireType?: number): RawField | undefined {
  for (let i = fields.length - 1; i >= 0; i--)
    if (fields[i].field === field && (wireType === undefined || fields[i].wireType === wireType)) return fields[i];
  return undefined;
}

function num(fields: readonly RawField[], field: number): bigint {
  const f = lastOf(fields, field, 0);
  return f ? BigInt(f.value as number | string) : 0n;
}

function signed(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** Repeated scalars may be packed (one length-delimited run of varints or fixed numbers). */
function unpack(f: RawField, type: string): RawField[] {
  if (f.wireType !== 2 || type === 'string' || type === 'bytes') return [f];
  const data = asBytes(f);
  const out: RawField[] = [];
  const fixed = type === 'double' || type === 'fixed64' ? 8 : type === 'float' || type === 'fixed32' ? 4 : 0;
  let pos = 0;
  while (pos < data.length) {
    if (fixed) {
      if (pos + fixed > data.length)
        throw new KineDecodeError('bad-protobuf', 'the protobuf is malformed: a packed fixed number runs past the end');
      const view = new DataView(data.buffer, data.byteOffset + pos, fixed);
      out.push({
        field: f.field,
        wireType: fixed === 8 ? 1 : 5,
        value: fixed === 8 ? view.getBigUint64(0, true).toString() : view.getUint32(0, true),
      });
      pos += fixed;
      continue;
    }
    let v = 0n;
    let shift = 0n;
    for (;;) {
      if (pos >= data.length || shift > 63n)
        throw new KineDecodeError('bad-protobuf', 'the protobuf is malformed: a packed varint runs past the end');
      const b = data[pos++];
      v |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if (b < 0x80) break;
    }
    out.push({ field: f.field, wireType: 0, value: v.toString() });
  }
  return out;
}

function printsWhenAbsent([, , type, flags]: FieldDescriptor): boolean {
  if (flags.includes('i')) return !flags.includes('p');
  if (!flags.includes('o')) return true;
  // omitempty never drops a struct value (encoding/json), only omitzero does.
  return typeof type === 'number' && !/[prmz]/.test(flags);
}

function zeroOf(type: string): unknown {
  return type === 'string' ? '' : type === 'bool' ? false : 0;
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false;
}
