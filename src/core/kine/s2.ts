import { maskedCrc32c } from './crc32c';
import { DEFAULT_MAX_OUTPUT_BYTES, KineDecodeError } from './errors';

// The S2 framed stream kine writes (klauspost/compress s2.Writer; kine-format.md §4.1): Snappy framing with its
// own magic, and S2 blocks = Snappy blocks plus the repeat-offset copy. No npm package decodes the repeat code.

const ID_S2 = 'S2sTwO';
const ID_SNAPPY = 'sNaPpY';
export const CHUNK_COMPRESSED = 0x00;
export const CHUNK_UNCOMPRESSED = 0x01;
export const CHUNK_STREAM_ID = 0xff;
/** S2's largest block; the Go reader refuses bigger ones, which also bounds the work per chunk. */
const MAX_BLOCK_BYTES = 4 * 1024 * 1024;

export interface S2DecodeOptions {
  /** Refuse streams that would decode to more bytes than this (default 16 MiB): the decompression-bomb guard. */
  readonly maxOutputBytes?: number;
}

export interface S2DecodeResult {
  readonly data: Uint8Array;
  readonly identifier: 'S2sTwO' | 'sNaPpY';
  readonly compressedChunks: number;
  readonly uncompressedChunks: number;
  readonly skippedChunks: number;
}

/**
 * Decodes a whole framed stream, checking every chunk's masked CRC-32C. Throws `KineDecodeError` for a missing
 * identifier, a truncated chunk, a reserved chunk type, a CRC mismatch, a corrupt block, or output over the cap
 * (checked against the declared length before any allocation).
 */
export function decodeS2Stream(input: Uint8Array, options: S2DecodeOptions = {}): S2DecodeResult {
  const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
  if (input.length === 0)
    throw new KineDecodeError('empty-body', 'the message body is empty, so it holds no S2 stream');
  if (input[0] !== CHUNK_STREAM_ID)
    throw new KineDecodeError(
      'bad-stream-identifier',
      'the body does not start with an S2 or Snappy stream identifier',
    );
  const parts: Uint8Array[] = [];
  let total = 0;
  let identifier: S2DecodeResult['identifier'] | undefined;
  let compressedChunks = 0;
  let uncompressedChunks = 0;
  let skippedChunks = 0;
  let pos = 0;
  while (pos < input.length) {
    if (pos + 4 > input.length)
      throw new KineDecodeError('truncated', `the S2 stream ends inside a chunk header at byte ${pos}`);
    const type = input[pos];
    const length = input[pos + 1] | (input[pos + 2] << 8) | (input[pos + 3] << 16);
    const start = pos + 4;
    const end = start + length;
    if (end > input.length)
      throw new KineDecodeError(
        'truncated',
        `an S2 chunk at byte ${pos} claims ${length} bytes but only ${input.length - start} remain`,
      );
    pos = end;
    if (identifier === undefined && type !== CHUNK_STREAM_ID) {
      throw new KineDecodeError(
        'bad-stream-identifier',
        'the body does not start with an S2 or Snappy stream identifier',
      );
    }
    if (type === CHUNK_STREAM_ID) {
      const magic = length === 6 ? String.fromCharCode(...input.subarray(start, end)) : '';
      if (magic !== ID_S2 && magic !== ID_SNAPPY)
        throw new KineDecodeError('bad-stream-identifier', 'the stream identifier chunk is neither S2sTwO nor sNaPpY');
      identifier = magic;
      continue;
    }
    if (type === CHUNK_COMPRESSED || type === CHUNK_UNCOMPRESSED) {
      if (length < 4)
        throw new KineDecodeError('truncated', `an S2 data chunk at byte ${start - 4} is too short to hold its CRC`);
      const expected =
        (input[start] | (input[start + 1] << 8) | (input[start + 2] << 16) | (input[start + 3] << 24)) >>> 0;
      const payload = input.subarray(start + 4, end);
      let data: Uint8Array;
      if (type === CHUNK_COMPRESSED) {
        data = decodeS2Block(payload, Math.min(MAX_BLOCK_BYTES, maxOutput - total), maxOutput);
        compressedChunks++;
      } else {
        if (payload.length > maxOutput - total) throw tooLarge(maxOutput);
        data = payload;
        uncompressedChunks++;
      }
      if (maskedCrc32c(data) !== expected)
        throw new KineDecodeError(
          'crc-mismatch',
          `an S2 chunk's CRC-32C does not match its data (chunk at byte ${start - 4})`,
        );
      parts.push(data);
      total += data.length;
      continue;
    }
    if (type >= 0x02 && type <= 0x7f)
      throw new KineDecodeError(
        'bad-chunk-type',
        `the S2 chunk type 0x${type.toString(16)} is reserved and unskippable`,
      );
    skippedChunks++; // 0x80–0xfe: skippable, padding (0xfe) and S2's index (0x99)
  }
  if (identifier === undefined)
    throw new KineDecodeError('bad-stream-identifier', 'the S2 stream has no identifier chunk');
  return { data: concat(parts, total), identifier, compressedChunks, uncompressedChunks, skippedChunks };
}

/**
 * Decodes one S2 block (uvarint length + tagged literals and copies, including S2's repeat-offset copy). Throws
 * `output-too-large` when the declared length exceeds `limit` and `corrupt-block` for any inconsistency.
 */
export function decodeS2Block(src: Uint8Array, limit: number, reportedCap = limit): Uint8Array {
  let s = 0;
  let declared = 0;
  for (let shift = 0; ; shift += 7) {
    if (s >= src.length || shift > 28) throw corrupt('its length prefix is truncated or too long');
    const b = src[s++];
    declared += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (declared > limit) throw tooLarge(reportedCap, declared);
  const dst = new Uint8Array(declared);
  let d = 0;
  let offset = 0;
  while (s < src.length) {
    const tag = src[s];
    let length: number;
    switch (tag & 3) {
      case 0: {
        let x = tag >>> 2;
        if (x < 60) s += 1;
        else {
          const extra = x - 59;
          if (s + 1 + extra > src.length) throw corrupt('a literal length runs past the block');
          x = 0;
          for (let i = 0; i < extra; i++) x += src[s + 1 + i] * 2 ** (8 * i);
          s += 1 + extra;
        }
        length = x + 1;
        if (length > dst.length - d || length > src.length - s)
          throw corrupt('a literal runs past the block or the declared length');
        dst.set(src.subarray(s, s + length), d);
        d += length;
        s += length;
        continue;
      }
      case 1: {
        if (s + 2 > src.length) throw corrupt('a copy1 tag is truncated');
        const newOffset = ((tag & 0xe0) << 3) | src[s + 1];
        length = (tag >>> 2) & 7;
        s += 2;
        if (newOffset === 0) {
          // S2 repeat: reuse the previous offset; length codes 5–7 carry 1–3 extra length bytes.
          if (length === 5) {
            if (s + 1 > src.length) throw corrupt('a repeat length is truncated');
            length = src[s] + 4;
            s += 1;
          } else if (length === 6) {
            if (s + 2 > src.length) throw corrupt('a repeat length is truncated');
            length = (src[s] | (src[s + 1] << 8)) + (1 << 8);
            s += 2;
          } else if (length === 7) {
            if (s + 3 > src.length) throw corrupt('a repeat length is truncated');
            length = (src[s] | (src[s + 1] << 8) | (src[s + 2] << 16)) + (1 << 16);
            s += 3;
          }
        } else {
          offset = newOffset;
        }
        length += 4;
        break;
      }
      case 2:
        if (s + 3 > src.length) throw corrupt('a copy2 tag is truncated');
        length = (tag >>> 2) + 1;
        offset = src[s + 1] | (src[s + 2] << 8);
        s += 3;
        break;
      default:
        if (s + 5 > src.length) throw corrupt('a copy4 tag is truncated');
        length = (tag >>> 2) + 1;
        offset = (src[s + 1] | (src[s + 2] << 8) | (src[s + 3] << 16) | (src[s + 4] << 24)) >>> 0;
        s += 5;
    }
    if (offset <= 0 || d < offset || length > dst.length - d)
      throw corrupt('a copy points before the start or past the declared length');
    if (offset >= length) dst.copyWithin(d, d - offset, d - offset + length);
    else if (offset < 8)
      for (let i = 0; i < length; i++) dst[d + i] = dst[d + i - offset]; // overlapping: repeat the pattern
    else {
      // Overlapping copy: the pattern [d-offset, d) repeats. Copy from the pattern's start in chunks that double
      // (each a multiple of offset, each source fully written), instead of byte by byte.
      let done = 0;
      while (done < length) {
        const n = Math.min(done + offset, length - done);
        dst.copyWithin(d + done, d - offset, d - offset + n);
        done += n;
      }
    }
    d += length;
  }
  if (d !== dst.length) throw corrupt(`it decodes to ${d} bytes, not the declared ${dst.length}`);
  return dst;
}

/** Writes `data` as an S2 stream of uncompressed chunks (at most 1 MiB each), which kine's reader accepts. */
export function encodeS2StreamUncompressed(data: Uint8Array, chunkBytes = 1 << 20): Uint8Array {
  const chunks: Uint8Array[] = [streamIdentifier()];
  for (let pos = 0; pos < data.length || (pos === 0 && data.length === 0); pos += chunkBytes) {
    chunks.push(
      dataChunk(CHUNK_UNCOMPRESSED, data.subarray(pos, pos + chunkBytes), data.subarray(pos, pos + chunkBytes)),
    );
    if (data.length === 0) break;
  }
  return concat(
    chunks,
    chunks.reduce((n, c) => n + c.length, 0),
  );
}

export function streamIdentifier(): Uint8Array {
  return Uint8Array.of(0xff, 0x06, 0x00, 0x00, 0x53, 0x32, 0x73, 0x54, 0x77, 0x4f);
}

/** One framed chunk: type, 3-byte length, masked CRC-32C of the uncompressed bytes, payload. */
export function dataChunk(type: number, payload: Uint8Array, uncompressed: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  const length = payload.length + 4;
  out[0] = type;
  out[1] = length & 0xff;
  out[2] = (length >>> 8) & 0xff;
  out[3] = (length >>> 16) & 0xff;
  new DataView(out.buffer).setUint32(4, maskedCrc32c(uncompressed), true);
  out.set(payload, 8);
  return out;
}

export function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function corrupt(why: string): KineDecodeError {
  return new KineDecodeError('corrupt-block', `an S2 block is corrupt: ${why}`);
}

function tooLarge(cap: number, declared?: number): KineDecodeError {
  const what = declared === undefined ? 'the stream' : `a block declaring ${declared} bytes`;
  return new KineDecodeError('output-too-large', `${what} would decode past the ${cap}-byte output cap`);
}
