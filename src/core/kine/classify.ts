import { isUtf8 } from 'node:buffer';
import { createHash, hash } from 'node:crypto';
import { boundedJson } from './boundedJson';
import { DecodeBudget, utf8Prefix, type DecodeLimits } from './decodeBudget';
import { decodeKubernetesProtobuf, hasK8sMagic, type KubernetesProtobufObject } from './kubernetesObject';
import { KineDecodeError } from './errors';
import { isPrintableUtf8 } from './printableText';
import { parseAtRestEncryption, type AtRestEncryption } from './encryptionAtRest';

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
  /** Parsed JSON (encoding `json`), within the decode limits: what was left out is named where it was. */
  readonly json?: unknown;
  /** The value as text (`text`, `json`, and the compaction key), within the decode limits. */
  readonly text?: string;
  /** One sentence naming the first place the decoded value was cut to stay within the limits; absent when whole. */
  readonly cut?: string;
  /** `k8s:enc:<provider>:<version>:<key name>:` (encoding `encrypted`); the ciphertext is never decoded. */
  readonly encryption?: AtRestEncryption;
  /** `compact_rev_key_apiserver`: `<version>|<revision>`, or a bare version before kine v0.14.4. */
  readonly compaction?: { readonly version: number; readonly revision: number };
}

export const COMPACT_KEY = 'compact_rev_key_apiserver';
/**
 * JSON bigger than this is shown as text, unparsed: the apiserver refuses request bodies over 3 MiB and etcd stores at
 * most 1.5 MiB, so only a hostile value is bigger, and parsing it could cost hundreds of megabytes of objects.
 */
const MAX_PARSE_BYTES = 3 * 1024 * 1024;

/**
 * Classifies the bytes of `KV.Value` for `key`; never throws (malformed protobuf is reported in `protobufError`).
 * What it decodes for display stays within `limits`; `cut` names the first place it stopped.
 */
export function classifyValue(key: string, value: Uint8Array, limits?: DecodeLimits): ClassifiedValue {
  const budget = new DecodeBudget(limits);
  const base = { size: value.length, sha256: sha256Hex(value) };
  const special: SpecialValue | undefined =
    key === COMPACT_KEY
      ? 'compaction'
      : key === '/registry/health'
        ? 'health'
        : key.startsWith('/bootstrap/')
          ? 'bootstrap'
          : undefined;
  const cut = () => (budget.firstCut ? { cut: budget.firstCut } : {});
  if (hasK8sMagic(value)) {
    try {
      const protobuf = decodeKubernetesProtobuf(value, budget);
      return {
        ...base,
        encoding: 'protobuf',
        special,
        apiVersion: protobuf.apiVersion,
        kind: protobuf.kind,
        protobuf,
        ...cut(),
      };
    } catch (err) {
      return {
        ...base,
        encoding: 'protobuf',
        special,
        protobufError: err instanceof KineDecodeError ? err.message : String(err),
      };
    }
  }
  const encryption = parseAtRestEncryption(value);
  if (encryption) return { ...base, encoding: 'encrypted', special, encryption };
  if (!isUtf8(value)) return { ...base, encoding: 'binary', special };
  if (special === 'compaction' && value.length <= 64) {
    const text = utf8Prefix(value, value.length);
    const m = /^(\d+)(?:\|(\d+))?$/.exec(text);
    if (m)
      return {
        ...base,
        encoding: 'text',
        special,
        text,
        compaction: { version: Number(m[1]), revision: Number(m[2] ?? 0) },
      };
  }
  const first = firstNonSpace(value);
  if ((first === 0x7b || first === 0x5b) && value.length <= MAX_PARSE_BYTES) {
    try {
      const parsed: unknown = JSON.parse(utf8Prefix(value, value.length));
      const typed = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
      const json = boundedJson(parsed, budget);
      return {
        ...base,
        encoding: 'json',
        special,
        json,
        text: shownText(value, budget),
        apiVersion: typeof typed.apiVersion === 'string' ? typed.apiVersion.slice(0, 256) : undefined,
        kind: typeof typed.kind === 'string' ? typed.kind.slice(0, 256) : undefined,
        ...cut(),
      };
    } catch {
      // text that merely starts with a brace
    }
  }
  if (isPrintableUtf8(value)) return { ...base, encoding: 'text', special, text: shownText(value, budget), ...cut() };
  return { ...base, encoding: 'binary', special };
}

/** The value as text within the text budget; a cut one ends with `…` and the sentence naming the cut. */
function shownText(value: Uint8Array, budget: DecodeBudget): string {
  const shown = budget.text(value.length);
  const text = utf8Prefix(value, shown);
  return shown >= value.length
    ? text
    : `${text}… (${budget.textCut('the value', Buffer.byteLength(text), value.length)})`;
}

function firstNonSpace(value: Uint8Array): number | undefined {
  for (const b of value) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return b;
  return undefined;
}

/** One-shot `crypto.hash` where Node has it (20.12+; several times faster for small values), else createHash. */
function sha256Hex(value: Uint8Array): string {
  return typeof hash === 'function' ? hash('sha256', value, 'hex') : createHash('sha256').update(value).digest('hex');
}
