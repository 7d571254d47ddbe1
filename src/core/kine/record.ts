import { classifyValue, type ClassifiedValue } from './classify';
import { parseEnvelope, type KineEnvelope } from './envelope';
import { KineDecodeError } from './errors';
import { decodeS2Stream, type S2DecodeOptions, type S2DecodeResult } from './s2';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** One kine PUT body fully decoded: S2 stream → natsData JSON → base64 inner value → classified value. */
export interface DecodedKineBody {
  readonly envelope: KineEnvelope;
  /** The natsData JSON text exactly as stored (after S2). */
  readonly json: string;
  readonly stream: Omit<S2DecodeResult, 'data'> & { readonly bodyBytes: number; readonly jsonBytes: number };
  /** Undefined when `KV.Value` is `null`. */
  readonly value?: ClassifiedValue;
  /** The inner value's raw bytes (for diffing and sha256 checks). */
  readonly valueBytes?: Uint8Array;
}

/** Decodes one message body; throws `KineDecodeError` (with `reason`) for any layer that refuses the bytes. */
export function decodeKineBody(body: Uint8Array, options: S2DecodeOptions = {}): DecodedKineBody {
  const s2 = decodeS2Stream(body, options);
  let json: string;
  try {
    json = utf8.decode(s2.data);
  } catch {
    throw new KineDecodeError('bad-json', 'the decompressed body is not UTF-8 text, so it is not a kine record');
  }
  const envelope = parseEnvelope(json);
  const { data, ...stream } = s2;
  return {
    envelope,
    json,
    stream: { ...stream, bodyBytes: body.length, jsonBytes: data.length },
    value: envelope.value ? classifyValue(envelope.key, envelope.value) : undefined,
    valueBytes: envelope.value ?? undefined,
  };
}

/** The KV operation of a stored message, from its `KV-Operation` header (absent = PUT). */
export type KvOperation = 'PUT' | 'DEL' | 'PURGE';

export type EntryState = 'live' | 'deleted' | 'expired';

export interface EntryStateInput {
  readonly operation: KvOperation;
  /** The envelope of the last message when it is a PUT. */
  readonly envelope?: Pick<KineEnvelope, 'delete' | 'lease'>;
  /** The last message's stream timestamp. */
  readonly time: Date;
}

export interface EntryStatus {
  readonly state: EntryState;
  /** Message time + Lease seconds, for leased keys. */
  readonly leaseExpiresAt?: Date;
}

/**
 * Live/deleted from the newest message of a key (kine-format.md §5.1): a DEL or PURGE marker or a `Delete: true`
 * PUT is deleted; a live leased key past message time + Lease is `expired` (kine deletes it lazily or not at all).
 */
export function entryState(last: EntryStateInput, now: Date = new Date()): EntryStatus {
  if (last.operation !== 'PUT') return { state: 'deleted' };
  const lease = last.envelope?.lease ?? 0;
  const leaseExpiresAt = lease > 0 ? new Date(last.time.getTime() + lease * 1000) : undefined;
  if (last.envelope?.delete) return { state: 'deleted', leaseExpiresAt };
  if (leaseExpiresAt && leaseExpiresAt.getTime() <= now.getTime()) return { state: 'expired', leaseExpiresAt };
  return { state: 'live', leaseExpiresAt };
}

/** Reads the `KV-Operation` header value; anything unrecognised counts as a PUT, as nats.go does. */
export function operationOf(header: string | undefined): KvOperation {
  return header === 'DEL' || header === 'PURGE' ? header : 'PUT';
}

export { KineDecodeError };
