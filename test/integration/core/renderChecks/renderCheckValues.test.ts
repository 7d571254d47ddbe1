/**
 * Render checks with REAL helm v3 and v4 on the real NATS chart (../shared/charts): for every check, a values file
 * that triggers it and one that does not, with the diagnostic's line; then the ways a render can fail to check.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCheckValues, type RenderCheckResult } from '../../../../src/core/renderChecks/renderCheckValues';
import { resolveRenderChart } from '../../../../src/core/renderChecks/renderChart';
import type { ValuesDiagnostic } from '../../../../src/core/values/valuesTypes';
import { CORPUS_DIR, corpusSources } from '../../../generators/valuesCorpus';
import { startChartRepo, type ChartRepo } from '../../../harness/chartRepo';
import { repoRoot } from '../../../harness/tools';
import { chartDir, helmSandbox, HELMS, type HelmSandbox } from '../helm/chartFixture';

const CHARTS = join(repoRoot, '..', 'shared', 'charts');

interface Case {
  readonly check: string;
  /** Triggers the check; `line` (1-based) is where its diagnostic must sit. */
  readonly bad: string;
  readonly line: number;
  /** The same intent written so that the chart renders it right: the check stays quiet. */
  readonly good: string;
}

const JS = 'config:\n  jetstream:\n    enabled: true\n';
const CLUSTER = 'config:\n  cluster:\n    enabled: true\n    replicas: 3\n  jetstream:\n    enabled: true\n';

const CASES: readonly Case[] = [
  {
    check: 'quoted-size',
    bad: 'config:\n  merge:\n    max_payload: 8MB\n',
    line: 3,
    good: 'config:\n  merge:\n    max_payload: << 8MB >>\n',
  },
  {
    check: 'jetstream-without-volume',
    bad: 'config:\n  merge:\n    jetstream:\n      max_memory_store: << 1Gi >>\n',
    line: 3,
    good: `${JS}    merge:\n      max_memory_store: << 1Gi >>\n`,
  },
  {
    check: 'stream-replicas',
    bad: `${CLUSTER}extraResources:\n  - apiVersion: jetstream.nats.io/v1beta2\n    kind: Stream\n    metadata:\n      name: orders\n    spec:\n      name: ORDERS\n      replicas: 5\n`,
    line: 14,
    good: `${CLUSTER}extraResources:\n  - apiVersion: jetstream.nats.io/v1beta2\n    kind: Stream\n    metadata:\n      name: orders\n    spec:\n      name: ORDERS\n      replicas: 3\n`,
  },
  {
    check: 'cluster-size',
    bad: `${CLUSTER}statefulSet:\n  merge:\n    spec:\n      replicas: 1\n`,
    line: 10,
    good: `${CLUSTER}statefulSet:\n  merge:\n    spec:\n      replicas: 3\n`,
  },
  {
    check: 'routes-replicas',
    bad: `${CLUSTER}statefulSet:\n  merge:\n    spec:\n      replicas: 5\n`,
    line: 10,
    good: 'config:\n  cluster:\n    enabled: true\n    replicas: 5\n  jetstream:\n    enabled: true\n',
  },
  {
    check: 'file-store-above-volume',
    bad: `${JS}    fileStore:\n      pvc:\n        size: 1Gi\n    merge:\n      max_file_store: << 2Gi >>\n`,
    line: 8,
    good: `${JS}    fileStore:\n      pvc:\n        size: 2Gi\n    merge:\n      max_file_store: << 1900Mi >>\n`,
  },
  {
    check: 'memory-store-limit',
    bad: `${JS}    merge:\n      max_memory_store: << 2Gi >>\ncontainer:\n  resources:\n    limits:\n      memory: 1Gi\n`,
    line: 5,
    good: `${JS}    merge:\n      max_memory_store: << 512Mi >>\ncontainer:\n  resources:\n    limits:\n      memory: 1Gi\n`,
  },
  {
    check: 'shared-server-name',
    bad: 'config:\n  cluster:\n    enabled: true\n  merge:\n    server_name: nats\n',
    line: 5,
    good: 'config:\n  cluster:\n    enabled: true\n  merge:\n    max_connections: 1000\n',
  },
  {
    check: 'port-override',
    bad: 'config:\n  merge:\n    port: 4333\n',
    line: 3,
    good: 'config:\n  nats:\n    port: 4333\n',
  },
];

const renderChecks = (d: readonly ValuesDiagnostic[]) =>
  d.filter((x) => x.code === 'render-check').map((x) => `${x.check}@${x.range.start.line + 1}`);

function checked(result: RenderCheckResult): ValuesDiagnostic[] {
  assert.equal(result.kind, 'checked', result.kind === 'not-checked' ? result.explanation : '');
  return result.kind === 'checked' ? result.diagnostics : [];
}

for (const helm of HELMS) {
  describe(`render checks with ${helm} and the real chart 2.14.2`, () => {
    let box: HelmSandbox;
    before(() => (box = helmSandbox(helm)));
    after(() => box.remove());
    const render = (text: string, more: Partial<Parameters<typeof renderCheckValues>[1]> = {}) =>
      renderCheckValues(text, {
        chart: { kind: 'local', path: chartDir('2.14.2') },
        helmPath: box.helmPath,
        env: box.env,
        ...more,
      });

    for (const c of CASES) {
      it(`${c.check}: reported on line ${c.line} of the file that causes it, and not for the right way to write it`, async () => {
        const bad = renderChecks(checked(await render(c.bad)));
        assert.ok(bad.includes(`${c.check}@${c.line}`), `${c.check}@${c.line} in ${bad.join(', ')}`);
        const good = renderChecks(checked(await render(c.good)));
        assert.deepEqual(good, []);
      });
    }

    it('the real files of the values corpus written for chart 1.x/2.x render with no render finding', async () => {
      const real = corpusSources().filter((s) => s.chart === 'nats-io' && s.writtenFor === '1.x/2.x');
      assert.ok(real.length >= 8, `${real.length} files`);
      for (const source of real) {
        const text = readFileSync(join(CORPUS_DIR, source.file), 'utf8');
        assert.deepEqual(renderChecks(checked(await render(text))), [], source.file);
      }
    });

    it('a default file renders clean, and the rendered objects are the chart own', async () => {
      const result = await render('config:\n  cluster:\n    enabled: true\n  jetstream:\n    enabled: true\n');
      assert.deepEqual(checked(result), []);
      assert.ok(result.kind === 'checked' && result.objects.includes('StatefulSet/nats'));
    });

    it('a config that includes a file of its own ($include) is still read and checked', async () => {
      const text =
        'config:\n  merge:\n    00$include: auth.conf\n    max_payload: 8MB\nconfigMap:\n  merge:\n    data:\n      auth.conf: |\n        accounts: {}\n';
      assert.deepEqual(renderChecks(checked(await render(text))), ['quoted-size@4']);
    });

    it('a control character the values smuggle into nats.conf reaches the message escaped', async () => {
      const text = 'config:\n  cluster:\n    enabled: true\n  merge:\n    server_name: "n\\u001b[31m"\n';
      const [finding] = checked(await render(text));
      assert.equal(finding?.check, 'shared-server-name');
      assert.doesNotMatch(finding!.message, /[\u0000-\u001f]/);
    });

    it("an umbrella chart's values are rendered from under `nats:` and reported on the umbrella's lines", async () => {
      const text = 'global: {}\nnats:\n  config:\n    merge:\n      max_payload: 8MB\n';
      assert.deepEqual(renderChecks(checked(await render(text))), ['quoted-size@5']);
    });

    it('values the chart refuses to render: one render-failed error naming helm its reason', async () => {
      const diagnostics = checked(await render('container:\n  env:\n    GOMAXPROCS: 2\n'));
      assert.equal(diagnostics.length, 1);
      assert.equal(diagnostics[0]!.code, 'render-failed');
      assert.match(diagnostics[0]!.message, /^The chart refuses to render these values.*: .+/);
    });

    it('a folder of charts gives the chart of the file own line: a file pinned to 1.3.14 renders with 1.3.16', async () => {
      const chart = resolveRenderChart(CHARTS, { layout: '2.x', exact: '1.3.14', source: 'modeline' });
      assert.deepEqual(chart, { kind: 'local', path: chartDir('1.3.16') });
      const result = await render('# nats-chart-version: 1.3.14\nconfig:\n  merge:\n    max_payload: 8MB\n', { chart });
      assert.deepEqual(renderChecks(checked(result)), ['quoted-size@4']);
    });

    it('output over the limit stops helm with one sentence', async () => {
      const result = await render(JS, { maxOutputBytes: 2048 });
      assert.equal(result.kind, 'not-checked');
      assert.ok(result.kind === 'not-checked' && result.reason === 'limit');
      assert.match(result.explanation, /rendered more than .* and was stopped/);
    });

    it('a cancelled render says so and checks nothing', async () => {
      const abort = new AbortController();
      const pending = render(JS, { signal: abort.signal, onLine: () => abort.abort() });
      const result = await pending;
      assert.ok(result.kind === 'not-checked' && result.reason === 'cancelled', JSON.stringify(result));
    });
  });
}

for (const helm of HELMS) {
  describe(`render checks with ${helm} and the chart from a chart repository on loopback`, () => {
    let box: HelmSandbox;
    let repo: ChartRepo;
    before(async () => {
      box = helmSandbox(helm);
      repo = await startChartRepo();
    });
    after(async () => {
      await repo.stop();
      box.remove();
    });

    it('without a chart of its own, the repository chart at the version the file pins is rendered', async () => {
      const text = '# nats-chart-version: 1.3.16\nconfig:\n  merge:\n    max_payload: 8MB\n';
      const chart = resolveRenderChart(undefined, { layout: '2.x', exact: '1.3.16', source: 'modeline' }, repo.url);
      assert.deepEqual(chart, { kind: 'repository', repoUrl: repo.url, version: '1.3.16' });
      const result = await renderCheckValues(text, { chart, helmPath: box.helmPath, env: box.env });
      assert.deepEqual(renderChecks(checked(result)), ['quoted-size@4']);
      assert.ok(
        repo.requests().some((r) => r.endsWith('nats-1.3.16.tgz')),
        repo.requests().join(', '),
      );
    });

    it('a repository that stops answering: helm is stopped at the time limit, with one sentence', async () => {
      repo.stopAnswering();
      const result = await renderCheckValues(JS, {
        chart: { kind: 'repository', repoUrl: repo.url, version: '2.14.2' },
        helmPath: box.helmPath,
        env: box.env,
        timeoutMs: 1_500,
      });
      assert.ok(result.kind === 'not-checked' && result.reason === 'limit', JSON.stringify(result));
      assert.match(result.explanation, /^helm did not finish rendering within 1.5 s and was stopped: /);
    });
  });
}

describe('render checks that cannot run', () => {
  it('helm missing: one sentence naming the setting, no stack trace', async () => {
    const result = await renderCheckValues(JS, {
      chart: { kind: 'local', path: chartDir('2.14.2') },
      helmPath: join(CHARTS, 'no-such-helm'),
    });
    assert.ok(result.kind === 'not-checked' && result.reason === 'helm-missing');
    assert.match(result.explanation, /^helm was not found at .*: install helm 3 or 4, or set natsK3s\.helmPath/);
  });

  it('a 0.x file and a file helm cannot read are refused before helm runs', async () => {
    const legacy = await renderCheckValues('# nats-chart-version: 0.19.17\nnats:\n  jetstream:\n    enabled: true\n', {
      chart: { kind: 'local', path: chartDir('0.19.17') },
      helmPath: join(CHARTS, 'no-such-helm'),
    });
    assert.ok(legacy.kind === 'not-checked' && legacy.reason === 'chart-0.x');
    // The release the file was installed into counts as the modeline does, here a release of chart 0.19.17.
    const released = await renderCheckValues('nats:\n  jetstream:\n    enabled: true\n', {
      chart: { kind: 'local', path: chartDir('0.19.17') },
      helmPath: join(CHARTS, 'no-such-helm'),
      release: { release: 'nats', namespace: 'nats', context: 'lab', chartVersion: '0.19.17' },
    });
    assert.ok(released.kind === 'not-checked' && released.reason === 'chart-0.x', JSON.stringify(released));
    const broken = await renderCheckValues('config:\n  merge: [\n', {
      chart: { kind: 'local', path: chartDir('2.14.2') },
      helmPath: join(CHARTS, 'no-such-helm'),
    });
    assert.ok(broken.kind === 'not-checked' && broken.reason === 'unreadable');
    assert.match(broken.explanation, /^helm cannot read this file \(line \d+: .+\): fix that first\.$/);
  });
});
