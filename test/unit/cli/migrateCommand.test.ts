import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLintCommand } from '../../../src/cli/lintCommand';
import { runMigrateCommand } from '../../../src/cli/migrateCommand';
import { repoRoot } from '../../harness/tools';
import { chartValuesText } from '../core/values/fixtures';

function io() {
  const o = { out: '', err: '' };
  return { o, io: { out: (t: string) => void (o.out += t), err: (t: string) => void (o.err += t) } };
}

describe('nats-k3s migrate: the input is never damaged', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nats-migrate-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migrate F -o F keeps F whole when the write fails part-way', () => {
    // A 4 KiB file size limit (ulimit -f) makes the write fail with EFBIG after 4 KiB: the old write had already
    // truncated F by then and left its first 4 KiB.
    const file = join(dir, 'values.yaml');
    const original = chartValuesText('0.19.17');
    writeFileSync(file, original);
    const script = `require(${JSON.stringify(join(repoRoot, 'out', 'src', 'cli', 'migrateCommand.js'))}).runMigrateCommand([process.argv[1], '-o', process.argv[1]], { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then((code) => { process.exitCode = code; });`;
    const run = spawnSync('bash', ['-c', 'ulimit -f 4 && exec "$0" -e "$1" "$2"', process.execPath, script, file], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 2, run.stderr);
    assert.match(
      run.stderr,
      new RegExp(
        `^nats-k3s migrate: cannot write ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: file too large \\(EFBIG\\)\\.\\n`,
      ),
    );
    assert.equal(readFileSync(file, 'utf8'), original);
    assert.deepEqual(readdirSync(dir), ['values.yaml'], 'no temp file left behind');
  });

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
    assert.equal(
      rest[rest.length - 1],
      `nats-k3s migrate: ${file} was not migrated (nothing was written): fix the error above, which \`nats-k3s lint\` reports too, and run it again.`,
    );
    assert.equal(migrate.o.out, '');
    assert.equal(readFileSync(file, 'utf8'), text);
  });

  it('refuses a Latin-1 file in one sentence instead of writing U+FFFD', async () => {
    const file = join(dir, 'latin1.yaml');
    const bytes = Buffer.from('nats:\n  serverNamePrefix: caf\xe9\n', 'latin1');
    writeFileSync(file, bytes);
    const cli = io();
    assert.equal(await runMigrateCommand([file, '-o', file], cli.io), 2);
    assert.equal(
      cli.o.err,
      `nats-k3s migrate: ${file} is not UTF-8 text (line 2, column 24 holds a byte UTF-8 does not allow, as Latin-1 or binary files do); save it as UTF-8 and run again.\n`,
    );
    assert.deepEqual(readFileSync(file), bytes);
  });

  it('lists on stderr every key it writes and why, the flipped 0.x defaults by name', async () => {
    const file = join(dir, 'old.yaml');
    writeFileSync(file, 'nats:\n  jetstream:\n    enabled: true\ncluster:\n  enabled: true\n  replicas: 3\n');
    const cli = io();
    assert.equal(await runMigrateCommand([file], cli.io), 0);
    const lines = cli.o.err.trimEnd().split('\n');
    assert.ok(lines.includes('moved: config.jetstream.enabled: from `nats.jetstream.enabled`'), cli.o.err);
    for (const key of ['promExporter.enabled', 'serviceAccount.enabled', 'config.cluster.noAdvertise'])
      assert.ok(
        lines.some((l) => l.startsWith(`added: ${key}: keeps `) && /chart 0\.x defaulted to/.test(l)),
        cli.o.err,
      );
    assert.match(cli.o.out, /^config:\n/);
  });
});
