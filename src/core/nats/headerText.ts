/** `"A: 1; B: two"` → `[["A","1"],["B","two"]]`; separators are `;` or new lines, empty parts are skipped. */
export function parseHeaderLines(text: string): [string, string][] {
  return text
    .split(/[;\n]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(':');
      if (colon <= 0) throw new HeaderSyntaxError(part);
      return [part.slice(0, colon).trim(), part.slice(colon + 1).trim()];
    });
}

export class HeaderSyntaxError extends Error {
  override readonly name = 'UserInputError';
  constructor(part: string) {
    super(`'${part}' is not a header: write it as Name: value.`);
  }
}
