import { createHash, hash } from 'node:crypto';
import { decodeKubernetesProtobuf, hasK8sMagic, type KubernetesProtobufObject } from './kubernetesObject';
import { KineDecodeError } from './errors';

/** The CLI's and the document's name for what an inner value is (kine-format.md §7.1). */
export type ValueEncoding = 'protobuf' | 'json' | 'encrypted' | 'text' | 'binary';

/** What kine or K3s itself stores, recognised from the key and the value. */
export type SpecialValue = 'compaction' | 'health' | 'bootstrap';

export interface ClassifiedValue {
  readonly encoding: ValueEncoding;
  readonly size: number;
  /** Hex SHA-256 of the inner value's bytes. */
  readonly sha256: string;
  readonly special?: SpecialValue;
  readonly apiVersion?: string;
  readonly kind?: string;
  /** Decoded `k8s\0` protobuf (encoding `protobuf`). */
  readonly protobuf?: KubernetesProtobufObject;
  /** Set when the value has the `k8s\0` prefix but its protobuf is malformed. */
  readonly protobufError?: string;
  /** Parsed JSON (encoding `json`). */
  readonly json?: unknown;
  /** The value as text (`text`, `json`, and the compaction key). */
  readonly text?: string;
  /** `k8s:enc:<provider>:v1:<key name>:` (encoding `encrypted`); the ciphertext is never decoded. */
  readonly encryption?: { readonly provider: string; readonly keyName: string };
  /** `compact_rev_key_apiserver`: `<version>|<revision>`, or a bare version before kine v0.14.4. */
  readonly compaction?: { readonly version: number; readonly revision: number };
}

export const COMPACT_KEY = 'compact_rev_key_apiserver';
const ENCRYPTED_PREFIX = 'k8s:enc:';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/** JSON and text bigger than this are shown as text only, unparsed, to keep a hostile value cheap. */
const MAX_PARSE_BYTES = 8 * 1024 * 1024;

/** Classifies the bytes of `KV.Value` for `key`; never throws (malformed protobuf is reported in `protobufError`). */
export function classifyValue(key: string, value: Uint8Array): ClassifiedValue {
  const base = { size: value.length, sha256: sha256Hex(value) };
  const special: SpecialValue | undefined = key === COMPACT_KEY ? 'compaction' : key === '/registry/health' ? 'health' : key.startsWith('/bootstrap/') ? 'bootstrap' : undefined;
  if (hasK8sMagic(value)) {
    try {
      const protobuf = decodeKubernetesProtobuf(value);
      return { ...base, encoding: 'protobuf', special, apiVersion: protobuf.apiVersion, kind: protobuf.kind, protobuf };
    } catch (err) {
      return { ...base, encoding: 'protobuf', special, protobufError: err instanceof KineDecodeError ? err.message : String(err) };
    }
  }
  if (startsWith(value, ENCRYPTED_PREFIX)) {
    const head = new TextDecoder().decode(value.subarray(0, 256)).split(':');
    return { ...base, encoding: 'encrypted', special, encryption: { provider: head[2] ?? '', keyName: head[4] ?? '' } };
  }
  let text: string | undefined;
  try {
    text = strictUtf8.decode(value);
  } catch {
    return { ...base, encoding: 'binary', special };
  }
  if (special === 'compaction') {
    const m = /^(\d+)(?:\|(\d+))?$/.exec(text);
    if (m) return { ...base, encoding: 'text', special, text, compaction: { version: Number(m[1]), revision: Number(m[2] ?? 0) } };
  }
  const trimmed = text.trimStart();
  if ((trimmed.startsWith('{') || trimmed.startsWith('[')) && value.length <= MAX_PARSE_BYTES) {
    try {
      const json: unknown = JSON.parse(text);
      const typed = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
      return {
        ...base,
        encoding: 'json',
        special,
        json,
        text,
        apiVersion: typeof typed.apiVersion === 'string' ? typed.apiVersion : undefined,
        kind: typeof typed.kind === 'string' ? typed.kind : undefined,
      };
    } catch {
      // text that merely starts with a brace
    }
  }
  if (/^[^\x00-\x08\x0e-\x1f\x7f]*$/.test(text)) return { ...base, encoding: 'text', special, text };
  return { ...base, encoding: 'binary', special };
}

function startsWith(bytes: Uint8Array, prefix: string): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

/** One-shot `crypto.hash` where Node has it (20.12+; several times faster for small values), else createHash. */
function sha256Hex(value: Uint8Array): string {
  return typeof hash === 'function' ? hash('sha256', value, 'hex') : createHash('sha256').update(value).digest('hex');
}
