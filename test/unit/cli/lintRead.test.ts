import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLintCommand } from '../../../src/cli/lintCommand';

describe('nats-k3s lint: reading the file', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nats-lint-read-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('says a Latin-1 file is not UTF-8 (exit 2), instead of calling its accents binary bytes', async () => {
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, Buffer.from('config:\n  merge:\n    motd: caf\xe9\n', 'latin1'));
    const o = { out: '', err: '' };
    assert.equal(await runLintCommand([file], { out: (t) => void (o.out += t), err: (t) => void (o.err += t) }), 2);
    assert.equal(
      o.err,
      `nats-k3s lint: ${file} is not UTF-8 text (line 3, column 14 holds a byte UTF-8 does not allow, as Latin-1 or binary files do); save it as UTF-8 and run again.\n`,
    );
    assert.equal(o.out, '');
  });
});
