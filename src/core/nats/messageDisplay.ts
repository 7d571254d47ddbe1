import { hexDump, type HeaderList, type PayloadView } from './payload';
import type { StreamMessage } from './messagePager';
import type { TailMessage } from './liveTail';
import type { KvEntryView } from './kvBrowser';

/** A message ready for a webview: only strings and numbers, so it crosses postMessage as is. */
export interface DisplayMessage {
  /** The stream sequence in the message browser, the arrival index in a live tail. */
  readonly id: number;
  readonly subject: string;
  readonly time: string;
  readonly headers: HeaderList;
  readonly size: number;
  readonly truncated: boolean;
  /** The payload as text; undefined for binary payloads. */
  readonly text?: string;
  /** Pretty JSON when the text parses as JSON. */
  readonly json?: string;
  readonly hex: string;
  /** A short word shown beside the id, e.g. a KV entry's operation (PUT, DEL, PURGE). */
  readonly label?: string;
}

/** A stored message for display; a payload is never interpreted beyond JSON parsing. */
export function toDisplayMessage(m: StreamMessage): DisplayMessage {
  return display(m.seq, m.subject, m.time, m.headers, m.payload);
}

/** A tailed message for display. */
export function toDisplayTail(m: TailMessage): DisplayMessage {
  return display(m.index, m.subject, m.receivedAt, m.headers, m.payload);
}

/** A KV revision for display: `id` is the revision, `subject` the key, `label` the operation. */
export function toDisplayKvEntry(e: KvEntryView): DisplayMessage {
  return { ...display(e.revision, e.key, e.created, [], e.payload), label: e.operation };
}

function display(id: number, subject: string, time: string, headers: HeaderList, payload: PayloadView): DisplayMessage {
  const text = payload.text;
  let json: string | undefined;
  if (text !== undefined && !payload.truncated && /^\s*[[{"]/.test(text)) {
    try {
      json = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      json = undefined;
    }
  }
  return {
    id,
    subject,
    time,
    headers,
    size: payload.size,
    truncated: payload.truncated,
    text,
    json,
    hex: hexDump(payload.bytes),
  };
}
