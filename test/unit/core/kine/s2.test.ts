import * as assert from 'node:assert/strict';
import { KineDecodeError, type KineDecodeReason } from '../../../../src/core/kine/errors';
import {
  dataChunk,
  decodeS2Block,
  decodeS2Stream,
  encodeS2StreamUncompressed,
  streamIdentifier,
} from '../../../../src/core/kine/s2';
import { encodeS2Block, encodeS2Stream } from '../../../generators/kine/s2Encoder';
import { encodeEnvelope } from '../../../../src/core/kine/envelope';
import { decodeKineBody } from '../../../../src/core/kine/record';
import { hex, prng, vectors } from './vectors';

const isReason = (reason: KineDecodeReason) => (e: unknown) => e instanceof KineDecodeError && e.reason === reason;
const join = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

function randomBytes(rand: () => number, size: number, repetitive: boolean): Uint8Array {
  const out = new Uint8Array(size);
  const words = ['"metadata":', 'kube-system', '\x00\x01', 'nginx-', 'aaaaaaaa', '{"a":1}'];
  for (let i = 0; i < size; ) {
    if (repetitive && rand() < 0.7) {
      const w = words[Math.floor(rand() * words.length)];
      for (let j = 0; j < w.length && i < size; j++) out[i++] = w.charCodeAt(j) & 0xff;
    } else out[i++] = Math.floor(rand() * 256);
  }
  return out;
}

describe('S2 stream decoder', () => {
  it('round-trips 3,000 random values through our compressor (literals, copies and repeat codes) and the uncompressed writer', () => {
    const rand = prng(2026);
    let compressedSeen = 0;
    for (let i = 0; i < 3000; i++) {
      const size = Math.floor(rand() ** 3 * 20_000);
      const data = randomBytes(rand, size, rand() < 0.7);
      const stream = encodeS2Stream(data);
      const decoded = decodeS2Stream(stream);
      compressedSeen += decoded.compressedChunks;
      assert.deepEqual(decoded.data, data);
      assert.deepEqual(decodeS2Stream(encodeS2StreamUncompressed(data, 4096)).data, data);
      assert.deepEqual(decodeS2Block(encodeS2Block(data), Infinity), data);
    }
    assert.ok(compressedSeen > 1000, `compressed chunks were exercised (${compressedSeen})`);
  });

  it('round-trips random kine records (key + value → envelope → S2 → decode)', () => {
    const rand = prng(7);
    for (let i = 0; i < 2000; i++) {
      const value = randomBytes(rand, Math.floor(rand() * 3000), rand() < 0.5);
      const key = `/registry/configmaps/ns-${i % 17}/cm-${Math.floor(rand() * 1e9)}`;
      const json = encodeEnvelope(
        { key, value, lease: i % 5 === 0 ? 3600 : 0, createRevision: i, prevRevision: i, delete: i % 11 === 0 },
        i % 2 ? 'current' : 'legacy',
      );
      const body = decodeKineBody(encodeS2Stream(new TextEncoder().encode(json)));
      assert.equal(body.envelope.key, key);
      assert.deepEqual(body.valueBytes ?? new Uint8Array(), value);
      assert.equal(body.envelope.delete, i % 11 === 0);
    }
  });

  it('handles the repeat code at every length class, and values spanning several 1 MiB chunks', () => {
    for (const n of [4, 8, 9, 263, 264, 300, 65795, 65796, 70_000, 3_000_000]) {
      const data = new Uint8Array(n + 16).fill(0x61);
      for (let i = 0; i < 16; i++) data[i] = i;
      const out = decodeS2Stream(encodeS2Stream(data));
      assert.deepEqual(out.data, data);
    }
  });

  it('accepts the Snappy identifier and skips skippable, padding and index chunks', () => {
    const json = new TextEncoder().encode(vectors[0].json);
    const snappy = join(Uint8Array.of(0xff, 6, 0, 0, ...Buffer.from('sNaPpY')), dataChunk(1, json, json));
    assert.equal(decodeS2Stream(snappy).identifier, 'sNaPpY');
    const skippy = join(
      streamIdentifier(),
      Uint8Array.of(0x80, 2, 0, 0, 9, 9),
      Uint8Array.of(0xfe, 0, 0, 0),
      Uint8Array.of(0x99, 1, 0, 0, 7),
      dataChunk(1, json, json),
    );
    const out = decodeS2Stream(skippy);
    assert.deepEqual(out.data, json);
    assert.equal(out.skippedChunks, 3);
  });

  describe('hostile bytes give a typed error within milliseconds', () => {
    const good = hex(vectors[0].s2StreamHex);
    const cases: [string, Uint8Array, KineDecodeReason][] = [
      ['an empty body', new Uint8Array(), 'empty-body'],
      ['no identifier', good.subarray(10), 'bad-stream-identifier'],
      [
        'a wrong identifier',
        join(Uint8Array.of(0xff, 6, 0, 0, ...Buffer.from('S2sTwX')), good.subarray(10)),
        'bad-stream-identifier',
      ],
      ['a chunk truncated by one byte', good.subarray(0, good.length - 1), 'truncated'],
      ['a header cut in half', good.subarray(0, 12), 'truncated'],
      [
        'a length claiming 16 MiB',
        join(streamIdentifier(), Uint8Array.of(0, 0xff, 0xff, 0xff, 1, 2, 3, 4)),
        'truncated',
      ],
      ['a reserved chunk type', join(streamIdentifier(), Uint8Array.of(0x02, 4, 0, 0, 0, 0, 0, 0)), 'bad-chunk-type'],
      ['a chunk too short for its CRC', join(streamIdentifier(), Uint8Array.of(0x01, 2, 0, 0, 0, 0)), 'truncated'],
      [
        'a wrong CRC',
        (() => {
          const b = good.slice();
          b[15] ^= 1;
          return b;
        })(),
        'crc-mismatch',
      ],
      [
        'a corrupted compressed byte',
        (() => {
          const b = good.slice();
          b[30] ^= 0x55;
          return b;
        })(),
        'crc-mismatch',
      ],
      [
        'a block declaring 4 GiB',
        join(streamIdentifier(), dataChunk(0, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f, 0), new Uint8Array())),
        'output-too-large',
      ],
      [
        'a copy before the start',
        join(streamIdentifier(), dataChunk(0, Uint8Array.of(8, 0x02 | (7 << 2), 5, 0), new Uint8Array())),
        'corrupt-block',
      ],
      [
        'a repeat with no previous offset',
        join(streamIdentifier(), dataChunk(0, Uint8Array.of(4, 0x01, 0), new Uint8Array())),
        'corrupt-block',
      ],
      [
        'a literal past the end',
        join(streamIdentifier(), dataChunk(0, Uint8Array.of(10, 9 << 2, 1, 2), new Uint8Array())),
        'corrupt-block',
      ],
      [
        'a varint that never ends',
        join(streamIdentifier(), dataChunk(0, Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80, 0x80), new Uint8Array())),
        'corrupt-block',
      ],
    ];
    for (const [what, bytes, reason] of cases) {
      it(what, () => {
        const started = performance.now();
        assert.throws(() => decodeS2Stream(bytes), isReason(reason));
        assert.ok(performance.now() - started < 50);
      });
    }

    it('a decompression bomb: 1 MiB chunks of repeats stop at the output cap, before allocating past it', () => {
      const block = encodeS2Block(new Uint8Array(1 << 20));
      assert.ok(block.length < 100, `the bomb block is tiny (${block.length} B)`);
      const chunk = dataChunk(0, block, new Uint8Array(1 << 20));
      const bomb = join(streamIdentifier(), ...Array.from({ length: 64 }, () => chunk));
      const started = performance.now();
      assert.throws(() => decodeS2Stream(bomb, { maxOutputBytes: 8 << 20 }), isReason('output-too-large'));
      assert.ok(performance.now() - started < 500);
      assert.equal(decodeS2Stream(bomb, { maxOutputBytes: 64 << 20 }).data.length, 64 << 20);
    });

    it('an uncompressed chunk over the cap', () => {
      assert.throws(
        () => decodeS2Stream(encodeS2StreamUncompressed(new Uint8Array(5000)), { maxOutputBytes: 4096 }),
        isReason('output-too-large'),
      );
    });
  });
});
