import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it("honours the chart version an umbrella's Chart.yaml or a helmfile pins, and prints where it came from", async () => {
    const umbrella = join(dir, 'platform');
    mkdirSync(umbrella);
    writeFileSync(
      join(umbrella, 'Chart.yaml'),
      'apiVersion: v2\nname: platform\nversion: 0.1.0\ndependencies:\n  - name: nats\n    alias: bus\n    version: 1.3.14\n    repository: https://nats-io.github.io/k8s/helm/charts/\n',
    );
    const values = join(umbrella, 'values.yaml');
    writeFileSync(values, 'bus:\n  container:\n    resources:\n      limits: {memory: 1Gi}\n');
    const { o, io: cli } = io();
    assert.equal(await runLintCommand(['--format', 'json', values], cli), 0);
    const [report] = JSON.parse(o.out);
    assert.equal(report.chartVersion, '1.3.14');
    assert.equal(report.pinnedBy, 'chart 1.3.14 from Chart.yaml');
    assert.deepEqual(
      report.diagnostics.map((d: any) => [d.line, d.severity, d.path]),
      [[3, 'warning', 'container.resources']],
    );
    assert.match(report.diagnostics[0].message, /added in 1\.3\.15/);

    const deploy = join(dir, 'deploy');
    mkdirSync(join(deploy, 'values'), { recursive: true });
    writeFileSync(
      join(deploy, 'helmfile.yaml'),
      'releases:\n  - name: nats\n    chart: nats/nats\n    version: 2.12.3\n    values: [values/nats.yaml]\n',
    );
    writeFileSync(join(deploy, 'values', 'nats.yaml'), 'config:\n  cluster:\n    noAdvertise: false\n');
    const text = io();
    assert.equal(await runLintCommand([join(deploy, 'values', 'nats.yaml')], text.io), 0);
    assert.equal(text.o.out, '', "outside the current folder only the file's own folder is looked at");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const inside = io();
      assert.equal(await runLintCommand([join('deploy', 'values', 'nats.yaml')], inside.io), 0);
      assert.match(
        inside.o.out,
        /warning \[chart-check\] Chart 2\.12\.3 ignores `config\.cluster\.noAdvertise` \(added in 2\.12\.4/,
      );
    } finally {
      process.chdir(cwd);
    }
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
