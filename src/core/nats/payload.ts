import type { MsgHdrs } from '@nats-io/transport-node';

/** The default number of payload bytes kept for display; the rest is counted, not copied. */
export const DEFAULT_PAYLOAD_CAP = 64 * 1024;

/** A message payload as plain data: the first `cap` bytes (a copy), and their text when they are valid UTF-8. */
export interface PayloadView {
  /** The full payload size in bytes. */
  readonly size: number;
  readonly truncated: boolean;
  readonly bytes: Uint8Array;
  /** Undefined for binary data (not valid UTF-8); the UI then shows hex. */
  readonly text?: string;
}

export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Copies at most `cap` bytes (the caller's buffer may be reused by nats.js) and decodes them when valid UTF-8.
 * A multi-byte character cut by the cap still counts as text: only the cut bytes are dropped from `text`.
 */
export function payloadView(data: Uint8Array, cap: number = DEFAULT_PAYLOAD_CAP): PayloadView {
  const truncated = data.length > cap;
  const bytes = data.slice(0, Math.min(cap, data.length));
  return { size: data.length, truncated, bytes, text: decode(bytes, truncated) };
}

function decode(bytes: Uint8Array, truncated: boolean): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    if (!truncated) return undefined;
    // Up to three trailing bytes may be half of a character cut by the cap.
    for (let cut = 1; cut <= 3 && cut < bytes.length; cut++) {
      try {
        return utf8.decode(bytes.subarray(0, bytes.length - cut));
      } catch {
        // keep cutting
      }
    }
    return undefined;
  }
}

/** A classic hex dump: offset, 16 bytes in hex, and their printable ASCII. Empty input gives ''. */
export function hexDump(bytes: Uint8Array, width = 16): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += width) {
    const row = bytes.subarray(off, off + width);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(width * 3 - 1)}  ${ascii}`);
  }
  return lines.join('\n');
}

/** Headers as (name, value) pairs in arrival order, one pair per value; no headers gives []. */
export function headerList(headers: MsgHdrs | undefined): HeaderList {
  if (!headers) return [];
  const out: Array<[string, string]> = [];
  for (const name of headers.keys()) {
    for (const value of headers.values(name)) out.push([name, value]);
  }
  return out;
}
