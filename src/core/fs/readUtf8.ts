// Text files are read as UTF-8 or not at all: Node's 'utf8' decoding turns every byte it cannot read (a Latin-1
// `é`, binary data) into U+FFFD silently, and a rewrite would then save those replacement characters for good.
import { readFile } from 'node:fs/promises';

/** The file is not valid UTF-8; `line` and `column` (1-based, column in bytes) locate its first bad byte. */
export class NotUtf8Error extends Error {
  constructor(
    readonly path: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(
      `${path} is not UTF-8 text (line ${line}, column ${column} holds a byte UTF-8 does not allow, as Latin-1 or binary files do); save it as UTF-8 and run again.`,
    );
  }
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (RFC 3629: no overlongs, no surrogates), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    // The second byte's range is narrower after E0 (overlong), ED (surrogates), F0 (overlong) and F4 (past U+10FFFF).
    const [lo, hi] =
      b === 0xe0
        ? [0xa0, 0xbf]
        : b === 0xed
          ? [0x80, 0x9f]
          : b === 0xf0
            ? [0x90, 0xbf]
            : b === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    const second = bytes[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  return -1;
}

/** The file's text; throws NotUtf8Error when it is not UTF-8 (a leading byte order mark is dropped). */
export async function readUtf8File(path: string): Promise<string> {
  const bytes = await readFile(path);
  const bad = firstInvalidUtf8(bytes);
  if (bad !== -1) {
    // (lastIndexOf counts a negative start from the end, hence the guard for a bad first byte.)
    const lineStart = bad === 0 ? 0 : bytes.lastIndexOf(0x0a, bad - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    throw new NotUtf8Error(path, line, bad - lineStart + 1);
  }
  return new TextDecoder('utf-8').decode(bytes);
}
