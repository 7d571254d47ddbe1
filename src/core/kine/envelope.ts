import { KineDecodeError } from './errors';

/** Which Go struct order the `KV` object was written in (kine-format.md §4.2): it dates the writer. */
export type EnvelopeFieldOrder = 'v0.14.4+' | 'v0.9-v0.14.3' | 'unknown';

/** kine's `natsData` JSON, read by field name; `value` is the base64-decoded `KV.Value` (null when it was `null`). */
export interface KineEnvelope {
  readonly key: string;
  readonly value: Uint8Array | null;
  readonly version?: number;
  readonly createRevision: number;
  readonly modRevision: number;
  /** TTL in seconds (kine's lease id is the TTL); 0 = no lease. */
  readonly lease: number;
  readonly prevRevision: number;
  readonly create: boolean;
  readonly delete: boolean;
  readonly fieldOrder: EnvelopeFieldOrder;
}

const CURRENT_ORDER = ['Key', 'Value', 'Version', 'CreateRevision', 'ModRevision', 'Lease'];
const LEGACY_ORDER = ['Key', 'CreateRevision', 'ModRevision', 'Value', 'Lease'];
// A plain character class, checked with the length: the grouped form `(?:[…]{4})*` overflows V8's regexp stack on
// values of a few megabytes ("Maximum call stack size exceeded").
const BASE64_BODY = /^[A-Za-z0-9+/]*={0,2}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Parses the envelope by field name; throws `bad-json`, `bad-envelope` (missing/mistyped fields) or `bad-base64`. */
export function parseEnvelope(json: Uint8Array | string): KineEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof json === 'string' ? json : strictUtf8.decode(json));
  } catch {
    throw new KineDecodeError('bad-json', 'the decompressed body is not JSON, so it is not a kine record');
  }
  if (!isObject(parsed) || !isObject(parsed.KV))
    throw new KineDecodeError('bad-envelope', 'the JSON has no "KV" object, so it is not a kine record');
  const kv = parsed.KV;
  if (typeof kv.Key !== 'string') throw new KineDecodeError('bad-envelope', 'the kine record has no string "KV.Key"');
  const names = Object.keys(kv);
  const fieldOrder: EnvelopeFieldOrder = sameList(names, CURRENT_ORDER)
    ? 'v0.14.4+'
    : sameList(names, LEGACY_ORDER)
      ? 'v0.9-v0.14.3'
      : 'unknown';
  return {
    key: kv.Key,
    value: decodeBase64Value(kv.Value),
    version: typeof kv.Version === 'number' ? kv.Version : undefined,
    createRevision: numberField(kv, 'CreateRevision'),
    modRevision: numberField(kv, 'ModRevision'),
    lease: numberField(kv, 'Lease'),
    prevRevision: numberField(parsed, 'PrevRevision'),
    create: parsed.Create === true,
    delete: parsed.Delete === true,
    fieldOrder,
  };
}

export interface EnvelopeInput {
  readonly key: string;
  readonly value: Uint8Array | null;
  readonly createRevision?: number;
  readonly modRevision?: number;
  readonly lease?: number;
  readonly prevRevision?: number;
  readonly create?: boolean;
  readonly delete?: boolean;
}

/** Writes the envelope byte-for-byte as Go's `encoding/json` would, in the current or the pre-v0.14.4 field order. */
export function encodeEnvelope(input: EnvelopeInput, order: 'current' | 'legacy' = 'current'): string {
  const key = goString(input.key);
  const value = input.value === null ? 'null' : `"${Buffer.from(input.value).toString('base64')}"`;
  const create = input.createRevision ?? 0;
  const mod = input.modRevision ?? 0;
  const lease = input.lease ?? 0;
  const kv =
    order === 'current'
      ? `{"Key":${key},"Value":${value},"Version":0,"CreateRevision":${create},"ModRevision":${mod},"Lease":${lease}}`
      : `{"Key":${key},"CreateRevision":${create},"ModRevision":${mod},"Value":${value},"Lease":${lease}}`;
  return `{"KV":${kv},"PrevRevision":${input.prevRevision ?? 0},"Create":${input.create === true},"Delete":${input.delete === true}}`;
}

/** Go escapes <, >, &, U+2028 and U+2029 in strings; JSON.stringify does not. */
function goString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function decodeBase64Value(value: unknown): Uint8Array | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string')
    throw new KineDecodeError('bad-envelope', '"KV.Value" is neither a base64 string nor null');
  if (value.length % 4 !== 0 || !BASE64_BODY.test(value))
    throw new KineDecodeError('bad-base64', '"KV.Value" is not standard padded base64');
  return new Uint8Array(Buffer.from(value, 'base64'));
}

function numberField(obj: Record<string, unknown>, name: string): number {
  const v = obj[name];
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new KineDecodeError('bad-envelope', `"${name}" in the kine record is not a number`);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
