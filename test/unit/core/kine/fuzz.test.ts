import * as assert from 'node:assert/strict';
import { KineDecodeError } from '../../../../src/core/kine/errors';
import { decodeKubernetesProtobuf } from '../../../../src/core/kine/kubernetesObject';
import { fieldTree } from '../../../../src/core/kine/protobuf';
import { decodeKineBody } from '../../../../src/core/kine/record';
import { decodeS2Stream } from '../../../../src/core/kine/s2';
import { encodeS2Stream } from '../../../generators/kine/s2Encoder';
import { hex, prng, vectors } from './vectors';

const FUZZ_MS = 2000;

function mutate(rand: () => number, seed: Uint8Array): Uint8Array {
  const b = Array.from(seed);
  const edits = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (b.length + 1));
    switch (Math.floor(rand() * 5)) {
      case 0:
        b[at] = Math.floor(rand() * 256);
        break;
      case 1:
        b.splice(at, 1);
        break;
      case 2:
        b.splice(at, 0, Math.floor(rand() * 256));
        break;
      case 3:
        b.length = Math.min(b.length, at);
        break;
      default:
        b.splice(at, 0, ...b.slice(Math.floor(rand() * b.length), Math.floor(rand() * b.length)));
    }
  }
  return Uint8Array.from(b.map((x) => x & 0xff));
}

/** Runs `fn` on mutated seeds for FUZZ_MS; only KineDecodeError may escape, and no single case may take long. */
function fuzz(seeds: Uint8Array[], seed: number, fn: (b: Uint8Array) => unknown): { cases: number; ok: number } {
  const rand = prng(seed);
  const deadline = performance.now() + FUZZ_MS;
  let cases = 0;
  let ok = 0;
  while (performance.now() < deadline) {
    const input = mutate(rand, seeds[Math.floor(rand() * seeds.length)]);
    const started = performance.now();
    try {
      fn(input);
      ok++;
    } catch (err) {
      if (!(err instanceof KineDecodeError))
        assert.fail(`untyped ${String(err)} on ${Buffer.from(input).toString('hex')}`);
    }
    const took = performance.now() - started;
    assert.ok(took < 200, `one case took ${took.toFixed(0)} ms: ${Buffer.from(input).toString('hex').slice(0, 200)}`);
    cases++;
  }
  return { cases, ok };
}

describe('fuzzing (seeded, time-boxed)', function () {
  this.timeout(FUZZ_MS * 4);
  const streams = vectors.flatMap((v) => [hex(v.s2StreamHex), hex(v.s2StreamUncompressedChunkHex)]);
  streams.push(encodeS2Stream(new TextEncoder().encode('abcabcabcabc'.repeat(400))));

  it('the S2 decoder throws only KineDecodeError and never hangs', () => {
    const r = fuzz(streams, 1, (b) => decodeS2Stream(b, { maxOutputBytes: 1 << 20 }));
    assert.ok(r.cases > 1000, `${r.cases} cases`);
  });

  it('the whole body decoder (S2 → JSON → base64 → classify) throws only KineDecodeError', () => {
    const r = fuzz(streams, 2, (b) => decodeKineBody(b, { maxOutputBytes: 1 << 20 }));
    assert.ok(r.cases > 1000, `${r.cases} cases`);
  });

  it('the protobuf reader throws only KineDecodeError and never hangs', () => {
    const seeds = vectors.filter((v) => v.innerValueHex?.startsWith('6b387300')).map((v) => hex(v.innerValueHex!));
    const r = fuzz(seeds, 3, (b) => {
      decodeKubernetesProtobuf(b);
      fieldTree(b.subarray(4));
    });
    assert.ok(r.cases > 1000, `${r.cases} cases`);
    assert.ok(r.ok > 0, 'some mutations still decode');
  });
});
