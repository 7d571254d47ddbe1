// User text quoted in a diagnostic (a key, a value) keeps the message on one line: a key or value can hold line
// breaks, tabs or any length of text.

// JSON's escapes (`\n`, `\t`), and `\uXXXX` for what JSON leaves as it is (DEL, the Unicode line separators).
function escaped(c: string): string {
  const json = JSON.stringify(c).slice(1, -1);
  return json === c ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : json;
}

/** `text` with control characters and line separators escaped, cut after `max` characters. */
export function inlineText(text: string, max = 60): string {
  const out = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, escaped);
  return out.length > max ? `${out.slice(0, max)}…` : out;
}
