import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../harness/tools';

const cli = join(repoRoot, 'dist', 'cli.js');
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
};

describe('nats-k3s CLI (the built bundle)', () => {
  it('is the package bin and prints the package version', () => {
    assert.equal(pkg.bin['nats-k3s'], './dist/cli.js');
    assert.equal(execFileSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }), `nats-k3s ${pkg.version}\n`);
  });

  it('prints help with exit 0, and usage with exit 2 when called bare', () => {
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^Usage:\n {2}nats-k3s <command>/m);
    const bare = spawnSync(process.execPath, [cli], { encoding: 'utf8' });
    assert.equal(bare.status, 2);
    assert.equal(bare.stdout, help.stdout);
  });

  it('dispatches lint, migrate and kine through the bundle', () => {
    const values = join(repoRoot, '..', 'shared', 'reference', 'nats-helm-chart');
    const clean = spawnSync(process.execPath, [cli, 'lint', join(values, 'values-2.14.2.yaml')], { encoding: 'utf8' });
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    const legacy = spawnSync(process.execPath, [cli, 'lint', '--format', 'json', join(values, 'values-0.19.17.yaml')], {
      encoding: 'utf8',
    });
    assert.equal(legacy.status, 1);
    const [report] = JSON.parse(legacy.stdout) as { diagnostics: { code: string }[] }[];
    assert.ok(report!.diagnostics.some((d) => d.code === 'legacy-chart-key'));
    const kine = spawnSync(process.execPath, [cli, 'kine', 'ls', '--server', 'nats://127.0.0.1:1'], {
      encoding: 'utf8',
    });
    assert.equal(kine.status, 1);
    assert.match(kine.stderr, /^nats-k3s kine: Connection refused: nothing is listening on 127\.0\.0\.1:1\./);
    assert.equal(kine.stderr.trim().split('\n').length, 1, 'one sentence, no stack trace');
  });

  it('survives a reader that closes the pipe early', () => {
    const legacy = join(repoRoot, '..', 'shared', 'reference', 'nats-helm-chart', 'values-0.19.17.yaml');
    const r = spawnSync('bash', ['-c', `node ${JSON.stringify(cli)} lint ${JSON.stringify(legacy)} | head -1`], {
      encoding: 'utf8',
    });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.split('\n').filter(Boolean).length, 1);
  });

  it('rejects an unknown command in one sentence on stderr, exit 2', () => {
    const r = spawnSync(process.execPath, [cli, 'frobnicate'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, "nats-k3s: unknown command 'frobnicate'. Run 'nats-k3s --help' to see the commands.\n");
  });
});
