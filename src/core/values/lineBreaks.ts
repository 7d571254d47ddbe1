// Line breaks as Helm reads them: LF, CRLF and a lone CR (old Mac files) all end a line. The yaml library and the
// code that slices lines know only LF and CRLF.

/** Lone CRs become LFs, so the yaml library reads the lines Helm reads; every offset stays the same. */
export function withLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** The file's own line break (its first one), to write a rewritten file back the same way. */
export function lineBreakOf(text: string): '\n' | '\r\n' | '\r' {
  const m = /\r\n|\r|\n/.exec(text);
  return (m?.[0] as '\n' | '\r\n' | '\r' | undefined) ?? '\n';
}

/** Every line break as LF. */
export function toLineFeeds(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}

/** LF line breaks turned into `lineBreak`. */
export function fromLineFeeds(text: string, lineBreak: '\n' | '\r\n' | '\r'): string {
  return lineBreak === '\n' ? text : text.replace(/\n/g, lineBreak);
}
