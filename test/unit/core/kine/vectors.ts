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

export const vectors: readonly KineVector[] = JSON.parse(
  readFileSync(join(repoRoot, 'test', 'fixtures', 'kine', 'kine-vectors.json'), 'utf8'),
);

export const hex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

/** The seeded generator property and fuzz runs use, so they replay exactly. */
export { seededRandom as prng } from '../../../generators/random/seededRandom';
