import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../harness/tools';

/** One entry of kine-vectors.json (bytes from kine's own encoder; copied from ../shared/reference). */
export interface KineVector {
  readonly name: string;
  readonly key: string;
  readonly kvKey: string;
  readonly subject: string;
  readonly json: string;
  readonly s2StreamHex: string;
  readonly s2StreamUncompressedChunkHex: string;
  readonly innerValueHex?: string;
  readonly chunkTypeFromGoWriter: 0 | 1;
}

export const vectors: readonly KineVector[] = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'kine', 'kine-vectors.json'), 'utf8'));

export const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

/** mulberry32: a tiny seeded PRNG so property and fuzz runs are reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
