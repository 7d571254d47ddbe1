import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLintCommand } from '../../../src/cli/lintCommand';
import { runMigrateCommand } from '../../../src/cli/migrateCommand';

function io() {
  const o = { out: '', err: '' };
  return { o, io: { out: (t: string) => void (o.out += t), err: (t: string) => void (o.err += t) } };
}

describe('nats-k3s migrate: the input is never damaged', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nats-migrate-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a file with YAML errors: the lines lint prints, exit 1, nothing written', async () => {
    const file = join(dir, 'old.yaml');
    const text = 'nats:\n  image: "nats:2.9\ncluster:\n  enabled: true\nauth:\n  enabled: true\n';
    writeFileSync(file, text);
    const lint = io();
    assert.equal(await runLintCommand([file], lint.io), 1);
    const migrate = io();
    assert.equal(await runMigrateCommand([file, '-o', file], migrate.io), 1);
    const lintErrors = lint.o.out.split('\n').filter((l) => / error \[yaml-syntax\]/.test(l));
    assert.ok(lintErrors.length > 0);
    const [first, ...rest] = migrate.o.err.trimEnd().split('\n');
    assert.deepEqual([first, ...rest.slice(0, -1)], lintErrors);
    assert.equal(rest[rest.length - 1], `nats-k3s migrate: ${file} was not migrated (nothing was written): fix the error above, which \`nats-k3s lint\` reports too, and run it again.`);
    assert.equal(migrate.o.out, '');
    assert.equal(readFileSync(file, 'utf8'), text);
  });
});
