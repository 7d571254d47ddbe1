import * as assert from 'node:assert/strict';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../../src/core/fs/atomicWrite';

describe('writeFileAtomic', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'atomic-write-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces a file whole and keeps its permissions', async () => {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o640);
    await writeFileAtomic(file, 'new\n');
    assert.equal(readFileSync(file, 'utf8'), 'new\n');
    assert.equal(statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir), ['values.yaml']);
  });

  it('writes through a symlink to the file it names, and the link stays', async () => {
    mkdirSync(join(dir, 'real'));
    const real = join(dir, 'real', 'values.yaml');
    writeFileSync(real, 'old\n');
    symlinkSync(real, join(dir, 'link.yaml'));
    await writeFileAtomic(join(dir, 'link.yaml'), 'new\n');
    assert.equal(readFileSync(real, 'utf8'), 'new\n');
    assert.ok(statSync(join(dir, 'link.yaml')).isFile());
    assert.deepEqual(readdirSync(join(dir, 'real')), ['values.yaml']);
  });

  it('leaves the target untouched and no temp file behind when the write fails', async () => {
    // A folder where the file should be: the rename fails after the temp file was written in full.
    const target = join(dir, 'values.yaml');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'kept');
    await assert.rejects(writeFileAtomic(target, 'new\n'), (err: NodeJS.ErrnoException) => err.code === 'EISDIR');
    assert.deepEqual(readdirSync(dir), ['values.yaml']);
    assert.equal(readFileSync(join(target, 'inside'), 'utf8'), 'kept');
  });
});
