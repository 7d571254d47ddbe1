/**
 * Caps on what one decoded value may show. A kine message of 500 bytes can unpack (S2, then base64) into 12 MiB of
 * protobuf whose fields fan out into millions of tree nodes, or into JSON nested a million levels deep; these keep
 * the tree, the text and the work small whatever the bytes say.
 */
export interface DecodeLimits {
  /** Nodes shown: protobuf fields, JSON array items and object keys, metadata entries. */
  readonly maxNodes: number;
  /** Levels of nested messages or JSON decoded; deeper ones are named, not shown. */
  readonly maxDepth: number;
  /** UTF-8 bytes of text (and characters of hex) shown across the value. */
  readonly maxTextBytes: number;
}

/** Far above real objects (a Pod is a few hundred fields; etcd stores at most 1.5 MiB), far below harm. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxNodes: 20_000, maxDepth: 24, maxTextBytes: 2 * 1024 * 1024 };

/** What is left of the limits while one value is decoded; remembers the first place it cut. */
export class DecodeBudget {
  #nodes: number;
  #text: number;
  #firstCut: string | undefined;

  constructor(readonly limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {
    this.#nodes = limits.maxNodes;
    this.#text = limits.maxTextBytes;
  }

  /** Takes one node; false once none is left. */
  node(): boolean {
    if (this.#nodes <= 0) return false;
    this.#nodes--;
    return true;
  }

  /** Takes up to `bytes` of text; returns how many may be shown (0 once the text budget is spent). */
  text(bytes: number): number {
    const granted = Math.max(0, Math.min(bytes, this.#text));
    this.#text -= granted;
    return granted;
  }

  /** Records a cut and returns its sentence; the first one is what `firstCut` reports for the whole value. */
  cut(sentence: string): string {
    this.#firstCut ??= sentence;
    return sentence;
  }

  /** One sentence naming the first place the value was cut, or undefined when it is shown whole. */
  get firstCut(): string | undefined {
    return this.#firstCut;
  }

  /** Sentence for the node limit at `where`, with how many were left out there. */
  nodeCut(where: string, leftOut: number, what = 'fields'): string {
    return this.cut(
      `Cut at ${where}: ${formatCount(leftOut)} more ${what} not shown (at most ${formatCount(this.limits.maxNodes)} nodes per value).`,
    );
  }

  /** Sentence for the depth limit at `where`. */
  depthCut(where: string): string {
    return this.cut(`Cut at ${where}: nested deeper than ${this.limits.maxDepth} levels, not decoded.`);
  }

  /** Sentence for the text limit at `where`. */
  textCut(where: string, shown: number, size: number, unit: 'bytes' | 'characters' = 'bytes'): string {
    return this.cut(
      `Cut at ${where}: ${formatCount(shown)} of ${formatCount(size)} ${unit} shown (at most ${formatCount(this.limits.maxTextBytes)} bytes of text per value).`,
    );
  }
}

/** A count as people read it: 20,000. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** The first `maxBytes` of UTF-8 `data` as text, never splitting a character. */
export function utf8Prefix(data: Uint8Array, maxBytes: number): string {
  let end = Math.min(maxBytes, data.length);
  // Back off from continuation bytes (10xxxxxx) so the cut falls on a character boundary.
  while (end > 0 && end < data.length && (data[end] & 0xc0) === 0x80) end--;
  return Buffer.from(data.buffer, data.byteOffset, end).toString('utf8');
}
