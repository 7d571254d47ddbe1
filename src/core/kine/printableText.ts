import { isUtf8 } from 'node:buffer';

/**
 * Whether bytes are UTF-8 text without C0 controls other than tab, newline, vertical tab, form feed and CR, and
 * without DEL. Checked on the bytes, so a multi-megabyte value is never decoded just to be looked at (a control byte
 * never occurs inside a multi-byte UTF-8 sequence).
 */
export function isPrintableUtf8(data: Uint8Array): boolean {
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b < 0x20 ? b <= 0x08 || b >= 0x0e : b === 0x7f) return false;
  }
  return isUtf8(data);
}
