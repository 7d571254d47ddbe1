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

describe('nats-k3s lint and migrate', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nats-lint-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 on a clean file, 1 with errors, and prints JSON with 1-based positions', async () => {
    const good = join(dir, 'good.yaml');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(good, 'config:\n  jetstream:\n    enabled: false\n');
    writeFileSync(bad, 'nats:\n  jetstream:\n    enabled: true\n');
    assert.equal(await runLintCommand([good], io().io), 0);
    const { o, io: cli } = io();
    assert.equal(await runLintCommand(['--format', 'json', good, bad], cli), 1);
    const report = JSON.parse(o.out) as {
      file: string;
      chartVersion: string;
      diagnostics: { line: number; column: number; code: string; path: string }[];
    }[];
    assert.equal(report.length, 2);
    assert.equal(report[1]?.chartVersion, '2.x');
    assert.deepEqual(
      report[1]?.diagnostics.map((d) => [d.line, d.column, d.code, d.path]),
      [[3, 5, 'legacy-chart-key', 'nats.jetstream.enabled']],
    );
    assert.equal(await runLintCommand(['--chart-version', '0.19.17', bad], io().io), 0);
  });

  it('exits 2 on usage and read errors', async () => {
    const a = io();
    assert.equal(await runLintCommand([], a.io), 2);
    assert.match(a.o.err, /Usage/);
    assert.equal(await runLintCommand(['--format', 'xml', 'f'], io().io), 2);
    assert.equal(await runLintCommand(['--chart-version', 'latest', 'f'], io().io), 2);
    assert.equal(await runLintCommand([join(dir, 'missing.yaml')], io().io), 2);
  });

  it('migrate prints or writes the migrated file and lists what it could not carry on stderr', async () => {
    const src = join(dir, 'old.yaml');
    writeFileSync(src, 'nats:\n  jetstream:\n    enabled: true\nnetworkPolicy:\n  enabled: true\n');
    const a = io();
    assert.equal(await runMigrateCommand([src], a.io), 0);
    assert.match(a.o.out, /config:\n {2}jetstream:\n {4}enabled: true/);
    assert.match(a.o.err, /not carried: networkPolicy/);
    const out = join(dir, 'new.yaml');
    assert.equal(await runMigrateCommand([src, '-o', out], io().io), 0);
    assert.match(readFileSync(out, 'utf8'), /config:/);
    assert.equal(await runMigrateCommand([], io().io), 2);
    assert.equal(await runMigrateCommand([join(dir, 'nope.yaml')], io().io), 2);
  });
});
