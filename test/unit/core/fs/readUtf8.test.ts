import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstInvalidUtf8, NotUtf8Error, readUtf8File } from '../../../../src/core/fs/readUtf8';

describe('readUtf8File', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'read-utf8-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads UTF-8 text, without its byte order mark', async () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('name: café 中 😀\n')]));
    assert.equal(await readUtf8File(file), 'name: café 中 😀\n');
  });

  it('refuses Latin-1 and binary bytes in one sentence naming where the first one is', async () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.from('nats:\n  name: caf\xe9\n', 'latin1'));
    await assert.rejects(readUtf8File(file), (err: unknown) => {
      assert.ok(err instanceof NotUtf8Error);
      assert.deepEqual([err.line, err.column], [2, 12]);
      assert.equal(
        err.message,
        `${file} is not UTF-8 text (line 2, column 12 holds a byte UTF-8 does not allow, as Latin-1 or binary files do); save it as UTF-8 and run again.`,
      );
      return true;
    });
  });

  it('finds the first invalid sequence the way a strict decoder does', () => {
    const cases: [number[], number][] = [
      [[0x61, 0x62], -1],
      [[0xc3, 0xa9], -1],
      [[0xff], 0],
      [[0x61, 0xc3], 1], // truncated
      [[0xc0, 0x80], 0], // overlong
      [[0xe0, 0x80, 0x80], 0], // overlong
      [[0xed, 0xa0, 0x80], 0], // surrogate
      [[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
      [[0xf0, 0x9f, 0x98, 0x80, 0x80], 4], // a lone continuation byte
    ];
    for (const [bytes, at] of cases) {
      assert.equal(firstInvalidUtf8(Uint8Array.from(bytes)), at, bytes.map((b) => b.toString(16)).join(' '));
      let strict = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
      } catch {
        strict = false;
      }
      assert.equal(at === -1, strict, 'agrees with TextDecoder');
    }
  });
});
