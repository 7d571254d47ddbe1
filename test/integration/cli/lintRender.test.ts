// `nats-k3s lint --render` as users run it (node dist/cli.js), with REAL helm v3 and v4 and the vendored charts.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCliBundle } from '../../harness/cliProcess';
import { repoRoot } from '../../harness/tools';
import { helmSandbox, HELMS, type HelmSandbox } from '../core/helm/chartFixture';

const CHARTS = join(repoRoot, '..', 'shared', 'charts');

interface Report {
  file: string;
  diagnostics: { line: number; severity: string; code: string; check?: string }[];
}

for (const helm of HELMS) {
  describe(`nats-k3s lint --render with ${helm}`, () => {
    let box: HelmSandbox;
    before(() => (box = helmSandbox(helm)));
    after(() => box.remove());
    const lint = (...args: string[]) =>
      runCliBundle(['lint', '--render', '--chart', CHARTS, '--helm', box.helmPath, ...args], {
        env: box.env,
        killAfterMs: 60_000,
      });

    it('a size written without << >> is an error on its line (exit 1); written bare it is clean (exit 0)', async () => {
      const bad = box.file('quoted.yaml', 'config:\n  merge:\n    max_payload: 8MB\n');
      const good = box.file('bare.yaml', 'config:\n  merge:\n    max_payload: << 8MB >>\n');
      const r = await lint('--format', 'json', bad, good);
      assert.equal(r.code, 1, r.stderr);
      const [badReport, goodReport] = JSON.parse(r.stdout) as Report[];
      const render = badReport!.diagnostics.filter((d) => d.code === 'render-check');
      assert.deepEqual(
        render.map((d) => [d.line, d.severity, d.check]),
        [[3, 'error', 'quoted-size']],
      );
      assert.deepEqual(
        goodReport!.diagnostics.filter((d) => d.code.startsWith('render')),
        [],
      );
      const clean = await lint(good);
      assert.equal(clean.code, 0, clean.stderr);
      assert.equal(clean.stdout, '');
    });

    it('a chart that refuses the values: a render-failed error in the text report', async () => {
      const file = box.file('env.yaml', 'container:\n  env:\n    GOMAXPROCS: 2\n');
      const r = await lint(file);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /env\.yaml:1:1: error \[render-failed\] The chart refuses to render these values/);
    });
  });
}

describe('nats-k3s lint --render when it cannot render', () => {
  it('helm missing: one sentence on stderr per file, exit 2, and the lint itself still printed', async () => {
    const box = helmSandbox('helm4');
    try {
      const file = box.file('v.yaml', 'nats:\n  jetstream:\n    enabled: true\n');
      const r = await runCliBundle(['lint', '--render', '--helm', join(box.dir, 'no-helm'), file], {
        killAfterMs: 30_000,
      });
      assert.equal(r.code, 2);
      assert.match(r.stdout, /\[legacy-chart-key\]/);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^nats-k3s lint: .*v\.yaml: helm was not found at .*no-helm: install helm 3 or 4/);
      const usage = await runCliBundle(['lint', '--chart', CHARTS, file]);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /--chart is only used with --render\./);
    } finally {
      box.remove();
    }
  });
});
