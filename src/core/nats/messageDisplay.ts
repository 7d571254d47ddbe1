import { hexDump } from './payload';
import type { StreamMessage } from './messagePager';

/** A stored message ready for the message browser: only strings and numbers, so it crosses postMessage as is. */
export interface DisplayMessage {
  readonly seq: number;
  readonly subject: string;
  readonly time: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly size: number;
  readonly truncated: boolean;
  /** The payload as text; undefined for binary payloads. */
  readonly text?: string;
  /** Pretty JSON when the text parses as JSON. */
  readonly json?: string;
  readonly hex: string;
}

/** Converts a message for display; a payload is never interpreted beyond JSON parsing. */
export function toDisplayMessage(m: StreamMessage): DisplayMessage {
  const text = m.payload.text;
  let json: string | undefined;
  if (text !== undefined && !m.payload.truncated && /^\s*[[{"]/.test(text)) {
    try {
      json = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      json = undefined;
    }
  }
  return { seq: m.seq, subject: m.subject, time: m.time, headers: m.headers, size: m.payload.size, truncated: m.payload.truncated, text, json, hex: hexDump(m.payload.bytes) };
}
