import type { KvEntryView } from '../../core/nats/kvBrowser';
import { hexDump, type PayloadView } from '../../core/nats/payload';

/** Text as it is (JSON pretty-printed), binary as a hex dump; a truncated payload says so. */
export function renderPayload(p: PayloadView): { text: string; language?: string } {
  const note = p.truncated ? `\n\n(first ${p.bytes.length} of ${p.size} bytes shown)` : '';
  if (p.text === undefined) return { text: hexDump(p.bytes) + note };
  try {
    if (!p.truncated && /^\s*[[{]/.test(p.text))
      return { text: JSON.stringify(JSON.parse(p.text), null, 2), language: 'json' };
  } catch {
    // Not JSON after all: show it as it is.
  }
  return { text: p.text + note };
}

/** A KV revision as text; DEL and PURGE markers have no value, so they say what they are. */
export function renderEntry(entry: KvEntryView): string {
  if (entry.operation !== 'PUT') return `(${entry.operation} at ${entry.created})`;
  return renderPayload(entry.payload).text;
}
