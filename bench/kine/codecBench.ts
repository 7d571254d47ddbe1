// Codec throughput in MB/s: S2 stream decoding and whole-record decoding (S2 → JSON → base64 → classify) on the
// kine vectors, plus a 1 MiB value. Usage: node out/bench/kine/codecBench.js
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeKineBody } from '../../src/core/kine/record';
import { decodeS2Stream } from '../../src/core/kine/s2';
import { encodeS2Stream } from '../../test/generators/kine/s2Encoder';
import { encodeEnvelope } from '../../src/core/kine/envelope';
import { pod } from '../../test/generators/kine/fixtureScenario';

const vectors: { s2StreamHex: string; s2StreamUncompressedChunkHex: string }[] = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', 'test', 'fixtures', 'kine', 'kine-vectors.json'), 'utf8'),
);

function throughput(
  name: string,
  bodies: Uint8Array[],
  fn: (b: Uint8Array) => unknown,
  outBytes: (b: Uint8Array) => number,
): void {
  const out = bodies.reduce((n, b) => n + outBytes(b), 0);
  const inBytes = bodies.reduce((n, b) => n + b.length, 0);
  for (let i = 0; i < 2000; i++) for (const b of bodies) fn(b); // warm-up
  let rounds = 0;
  const started = performance.now();
  while (performance.now() - started < 1500) {
    for (const b of bodies) fn(b);
    rounds++;
  }
  const secs = (performance.now() - started) / 1000;
  const mbOut = (out * rounds) / secs / 1e6;
  const mbIn = (inBytes * rounds) / secs / 1e6;
  console.log(
    `${name.padEnd(52)} ${mbIn.toFixed(1).padStart(7)} MB/s in, ${mbOut.toFixed(1).padStart(7)} MB/s out, ${Math.round((rounds * bodies.length) / secs)} records/s`,
  );
}

const goBodies = vectors.map((v) => new Uint8Array(Buffer.from(v.s2StreamHex, 'hex')));
const uncompressed = vectors.map((v) => new Uint8Array(Buffer.from(v.s2StreamUncompressedChunkHex, 'hex')));
const jsonLen = (b: Uint8Array) => decodeS2Stream(b).data.length;
throughput('S2 decode, Go writer vectors (8)', goBodies, (b) => decodeS2Stream(b), jsonLen);
throughput('S2 decode, uncompressed-chunk vectors (8)', uncompressed, (b) => decodeS2Stream(b), jsonLen);
throughput('whole record (S2+JSON+base64+classify), vectors', goBodies, (b) => decodeKineBody(b), jsonLen);

const bigValue = pod('big', 'default', { app: 'big' }, 'spec-line-with-some-variety-'.repeat(36_000));
const big = encodeS2Stream(
  new TextEncoder().encode(encodeEnvelope({ key: '/registry/pods/default/big', value: bigValue, create: true })),
);
throughput(
  `S2 decode, one ${(jsonLen(big) / 1e6).toFixed(1)} MB record (our compressor)`,
  [big],
  (b) => decodeS2Stream(b),
  jsonLen,
);
throughput('whole record, the same', [big], (b) => decodeKineBody(b), jsonLen);
