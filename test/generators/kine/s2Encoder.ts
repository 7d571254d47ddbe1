import { CHUNK_COMPRESSED, CHUNK_UNCOMPRESSED, concat, dataChunk, streamIdentifier } from '../../../src/core/kine/s2';

// A small greedy S2 compressor for fixtures and round-trip tests: it emits literals, copy1/copy2 and S2's repeat
// code, so the decoder's compressed path is exercised beyond the Go vectors. Not tuned for ratio or speed.

const BLOCK_BYTES = 1 << 20;

/** Writes an S2 stream choosing, per 1 MiB block, the compressed form only when it is smaller (as Go's writer does). */
export function encodeS2Stream(data: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [streamIdentifier()];
  for (let pos = 0; pos === 0 || pos < data.length; pos += BLOCK_BYTES) {
    const block = data.subarray(pos, pos + BLOCK_BYTES);
    const compressed = encodeS2Block(block);
    chunks.push(
      compressed.length < block.length
        ? dataChunk(CHUNK_COMPRESSED, compressed, block)
        : dataChunk(CHUNK_UNCOMPRESSED, block, block),
    );
    if (data.length === 0) break;
  }
  return concat(
    chunks,
    chunks.reduce((n, c) => n + c.length, 0),
  );
}

/** Compresses one block (uvarint length + elements); always valid S2, even when larger than the input. */
export function encodeS2Block(src: Uint8Array): Uint8Array {
  const out = new Growable(src.length + 16);
  let n = src.length;
  do {
    out.push(n >= 0x80 ? (n & 0x7f) | 0x80 : n);
    n = Math.floor(n / 128);
  } while (n > 0);
  const table = new Int32Array(1 << 14).fill(-1);
  let s = 0;
  let nextEmit = 0;
  let lastOffset = 0;
  while (s + 4 <= src.length) {
    const word = (src[s] | (src[s + 1] << 8) | (src[s + 2] << 16) | (src[s + 3] << 24)) >>> 0;
    const h = Math.imul(word, 0x1e35a7bd) >>> 18;
    const candidate = table[h];
    table[h] = s;
    if (
      candidate >= 0 &&
      s - candidate <= 0xffff &&
      src[candidate] === src[s] &&
      src[candidate + 1] === src[s + 1] &&
      src[candidate + 2] === src[s + 2] &&
      src[candidate + 3] === src[s + 3]
    ) {
      let length = 4;
      while (s + length < src.length && src[candidate + length] === src[s + length]) length++;
      emitLiteral(out, src, nextEmit, s);
      const offset = s - candidate;
      emitCopy(out, offset, length, offset === lastOffset);
      lastOffset = offset;
      s += length;
      nextEmit = s;
    } else {
      s++;
    }
  }
  emitLiteral(out, src, nextEmit, src.length);
  return out.bytes();
}

function emitLiteral(out: Growable, src: Uint8Array, from: number, to: number): void {
  const length = to - from;
  if (length <= 0) return;
  const n = length - 1;
  if (n < 60) out.push(n << 2);
  else if (n < 0x100) out.push(60 << 2, n);
  else if (n < 0x10000) out.push(61 << 2, n & 0xff, n >>> 8);
  else if (n < 0x1000000) out.push(62 << 2, n & 0xff, (n >>> 8) & 0xff, n >>> 16);
  else out.push(63 << 2, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  out.append(src.subarray(from, to));
}

function emitCopy(out: Growable, offset: number, length: number, repeat: boolean): void {
  if (repeat) {
    // copy1 with offset 0 = S2 repeat; lengths 4–8 inline, then 1–3 extra length bytes.
    while (length > 0) {
      const take = Math.min(length, 65540 + 0xffffff);
      const rest = length - take;
      if (rest > 0 && rest < 4) {
        emitRepeat(out, take - 4);
        length = rest + 4;
        continue;
      }
      emitRepeat(out, take);
      length = rest;
    }
    return;
  }
  if (length >= 4 && length <= 11 && offset < 2048) {
    out.push(1 | ((length - 4) << 2) | ((offset >>> 8) << 5), offset & 0xff);
    return;
  }
  // One explicit copy2 sets the offset; the rest is a repeat, as S2's encoder does for long matches.
  let take = Math.min(length, 64);
  if (length - take > 0 && length - take < 4) take = length - 4;
  out.push(2 | ((take - 1) << 2), offset & 0xff, offset >>> 8);
  if (length > take) emitCopy(out, offset, length - take, true);
}

function emitRepeat(out: Growable, length: number): void {
  if (length <= 8) out.push(1 | ((length - 4) << 2), 0);
  else if (length < 8 + 256) out.push(1 | (5 << 2), 0, length - 8);
  else if (length < 260 + 65536) out.push(1 | (6 << 2), 0, (length - 260) & 0xff, (length - 260) >>> 8);
  else {
    const x = length - 65540;
    out.push(1 | (7 << 2), 0, x & 0xff, (x >>> 8) & 0xff, x >>> 16);
  }
}

class Growable {
  private buf: Uint8Array;
  private size = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(capacity, 64));
  }
  push(...bytes: number[]): void {
    this.reserve(bytes.length);
    for (const b of bytes) this.buf[this.size++] = b;
  }
  append(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.size);
    this.size += bytes.length;
  }
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }
  private reserve(n: number): void {
    if (this.size + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.size + n));
    next.set(this.buf.subarray(0, this.size));
    this.buf = next;
  }
}
