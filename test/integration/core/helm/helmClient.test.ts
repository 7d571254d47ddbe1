/**
 * HelmClient with REAL helm v3 and v4 (built from their Go modules) against a REAL chart repository on loopback
 * (test/harness/chartRepo.ts: the vendored NATS charts packaged and indexed by helm, served over node:http under a
 * Harbor-like path), given to the client as natsK3s.helm.repository gives a mirror. Each test's helm keeps its
 * repositories.yaml and index cache in a temp folder, never in ~/.config/helm. Real: helm, its repository files, HTTP,
 * processes and signals. Nothing here is a double. Install, upgrade and uninstall against a cluster are in
 * releaseLifecycle.test.ts; here the cluster is a kubeconfig pointing at a closed loopback port.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { HelmArgumentError } from '../../../../src/core/helm/helmArgs';
import { HelmClient, HelmCommandError, type HelmClientOptions } from '../../../../src/core/helm/helmClient';
import { chartDir, helmHome, startChartRepo, type ChartRepo, type HelmHome } from '../../../harness/chartRepo';
import { childProcesses, freePorts, isAlive } from '../../../harness/processes';
import { tools } from '../../../harness/tools';
import { HELMS, renderedObjects, findObject } from './chartFixture';

const execFileP = promisify(execFile);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A kubeconfig whose contexts each point at a loopback port nothing listens on (token auth, so helm gets as far as dialling). */
function kubeconfigText(contexts: Record<string, number>): string {
  const names = Object.keys(contexts);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    ...names.flatMap((n) => [
      `- name: ${JSON.stringify(n)}`,
      '  cluster:',
      `    server: https://127.0.0.1:${contexts[n]}`,
    ]),
    'contexts:',
    ...names.flatMap((n) => [
      `- name: ${JSON.stringify(n)}`,
      '  context:',
      `    cluster: ${JSON.stringify(n)}`,
      '    user: u',
    ]),
    'users:',
    '- name: u',
    '  user:',
    '    token: t',
    `current-context: ${JSON.stringify(names[0])}`,
    '',
  ].join('\n');
}

for (const helm of HELMS) {
  describe(`HelmClient with ${helm} and a chart repository on loopback`, () => {
    let repo: ChartRepo;
    let home: HelmHome;
    let helmPath: string;
    before(async () => {
      helmPath = tools()[helm];
      repo = await startChartRepo({ path: 'chartrepo/nats' });
    });
    after(async () => repo?.stop());
    beforeEach(() => {
      home = helmHome();
    });
    afterEach(() => home.remove());

    const client = (opts: Partial<HelmClientOptions> = {}) =>
      new HelmClient({ helmPath, kubeconfigPaths: [], repository: repo.url, env: home.env, ...opts });
    /** helm itself in the test's helm home, to set up state the way a user would and read it back. */
    const helmCli = async (...args: string[]) =>
      (await execFileP(helmPath, args, { env: { ...process.env, ...home.env } })).stdout;
    const repoList = async () =>
      JSON.parse(await helmCli('repo', 'list', '-o', 'json')) as { name: string; url: string }[];
    const indexFetches = (r: ChartRepo = repo) => r.requests().filter((p) => p.endsWith('/index.yaml')).length;

    it('finds the NATS repo by its URL whatever its name, and neither adds nor fetches it again', async () => {
      const asAdded = repo.url.replace(/\/$/, '');
      await helmCli('repo', 'add', 'corp-mirror', asAdded);
      const fetches = indexFetches();
      assert.deepEqual(await client().ensureNatsRepo(), { chart: 'corp-mirror/nats', added: false });
      assert.deepEqual(await client().ensureNatsRepo(), { chart: 'corp-mirror/nats', added: false });
      assert.deepEqual(await repoList(), [{ name: 'corp-mirror', url: asAdded }]);
      assert.equal(indexFetches(), fetches, 'no index download');
    });

    it('adds the repo as "nats" and fetches its index when helm has none', async () => {
      assert.deepEqual(await repoList(), []);
      const fetches = indexFetches();
      assert.deepEqual(await client().ensureNatsRepo(), { chart: 'nats/nats', added: true });
      assert.deepEqual(await repoList(), [{ name: 'nats', url: repo.url }]);
      // `repo add` downloads the index once and `repo update` once more.
      assert.equal(indexFetches(), fetches + 2);
      assert.deepEqual(await client().ensureNatsRepo(), { chart: 'nats/nats', added: false });
    });

    it('adds it under another name when "nats" names a different repository, and leaves that one alone', async () => {
      const other = await startChartRepo({ versions: ['0.19.17'] });
      try {
        await helmCli('repo', 'add', 'nats', other.url);
        assert.deepEqual(await client().ensureNatsRepo(), { chart: 'nats-io-charts/nats', added: true });
        assert.deepEqual(await repoList(), [
          { name: 'nats', url: other.url },
          { name: 'nats-io-charts', url: repo.url },
        ]);
        assert.deepEqual(
          (await client().chartVersions('nats-io-charts/nats')).map((v) => v.version),
          repo.versions,
        );
        assert.deepEqual(
          (await client().chartVersions('nats/nats')).map((v) => v.version),
          ['0.19.17'],
        );
      } finally {
        await other.stop();
      }
    });

    it('takes nats-io-charts-2 when "nats-io-charts" is taken too (helm refuses to add under a taken name)', async () => {
      const others = [await startChartRepo({ versions: ['0.19.17'] }), await startChartRepo({ versions: ['1.3.16'] })];
      try {
        await helmCli('repo', 'add', 'nats', others[0]!.url);
        await helmCli('repo', 'add', 'nats-io-charts', others[1]!.url);
        assert.deepEqual(await client().ensureNatsRepo(), { chart: 'nats-io-charts-2/nats', added: true });
        assert.deepEqual(await repoList(), [
          { name: 'nats', url: others[0]!.url },
          { name: 'nats-io-charts', url: others[1]!.url },
          { name: 'nats-io-charts-2', url: repo.url },
        ]);
      } finally {
        await Promise.all(others.map((r) => r.stop()));
      }
    });

    it('lists the chart versions of the repository newest first, with their NATS versions', async () => {
      const { chart } = await client().ensureNatsRepo();
      const versions = await client().chartVersions(chart);
      assert.deepEqual(
        versions.map((v) => [v.version, v.appVersion]),
        [
          ['2.14.2', '2.14.2'],
          ['1.3.16', '2.11.10'],
          ['0.19.17', '2.9.20'],
        ],
      );
      assert.deepEqual(
        versions.map((v) => v.version),
        repo.versions,
      );
    });

    it('template renders the repository chart at the version asked, with release, namespace and values path intact', async () => {
      const { chart } = await client().ensureNatsRepo();
      const folder = join(home.dir, "it's $HOME");
      mkdirSync(folder);
      const valuesFile = join(folder, 'values (1).yaml');
      writeFileSync(valuesFile, 'cluster:\n  enabled: true\n  replicas: 3\n');
      const objects = renderedObjects(
        await client().template({
          release: 'my-nats.v2',
          namespace: 'nats-prod',
          valuesFile,
          chart,
          version: '0.19.17',
        }),
      );
      assert.deepEqual(
        objects.map((o) => `${o.kind}/${o.metadata.name}`),
        [
          'PodDisruptionBudget/my-nats.v2',
          'ServiceAccount/my-nats.v2',
          'ConfigMap/my-nats.v2-config',
          'Service/my-nats.v2',
          'Deployment/my-nats.v2-box',
          'StatefulSet/my-nats.v2',
          'Pod/my-nats.v2-test-request-reply',
        ],
      );
      const sts = findObject(objects, 'StatefulSet', 'my-nats.v2')!;
      assert.equal((sts.spec as { replicas: number }).replicas, 3, 'the values file was read');
      assert.equal((sts.metadata as { labels?: Record<string, string> }).labels?.['helm.sh/chart'], 'nats-0.19.17');
      // The 0.x chart writes the namespace into its objects (not into its helm test Pod).
      assert.deepEqual(
        new Set(objects.filter((o) => o.kind !== 'Pod').map((o) => (o.metadata as { namespace?: string }).namespace)),
        new Set(['nats-prod']),
      );
    });

    it('refuses odd names before helm runs (helm would have failed on the cluster instead)', async () => {
      const [closed] = await freePorts(1);
      const kubeconfig = join(home.dir, 'kubeconfig');
      writeFileSync(kubeconfig, kubeconfigText({ k3s: closed! }));
      const c = client({ kubeconfigPaths: [kubeconfig] });
      await assert.rejects(c.uninstall({ release: 'nats; rm -rf ~', namespace: 'nats' }), HelmArgumentError);
      await assert.rejects(
        c.upgradeInstall({ release: 'nats', namespace: '--all', valuesFile: '/v.yaml' }),
        HelmArgumentError,
      );
      await assert.rejects(c.history({ release: 'NATS', namespace: 'nats' }), HelmArgumentError);
      await assert.rejects(
        c.uninstall({ release: 'nats', namespace: 'nats' }),
        (e: unknown) => e instanceof HelmCommandError && /^The cluster is unreachable/.test(e.message),
      );
    });

    it('passes one kubeconfig and the context as flags, several kubeconfigs through KUBECONFIG: helm dials the chosen context', async () => {
      const [portA, portB] = await freePorts(2);
      const both = join(home.dir, 'both.yaml');
      const onlyA = join(home.dir, 'a.yaml');
      const onlyB = join(home.dir, 'b.yaml');
      writeFileSync(both, kubeconfigText({ a: portA!, b: portB! }));
      writeFileSync(onlyA, kubeconfigText({ a: portA! }));
      writeFileSync(onlyB, kubeconfigText({ b: portB! }));
      const dials = async (run: Promise<unknown>) => {
        const err = await run.then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(err instanceof HelmCommandError, String(err));
        assert.match(
          err.message,
          /^The cluster is unreachable \(.*127\.0\.0\.1:\d+.*connection refused\): check that K3s is running/,
        );
        return Number(/127\.0\.0\.1:(\d+)/.exec(err.message)![1]);
      };
      assert.equal(await dials(client({ kubeconfigPaths: [both] }).listReleases()), portA, 'the current-context');
      assert.equal(await dials(client({ kubeconfigPaths: [both], context: 'b' }).listReleases()), portB);
      assert.equal(
        await dials(client({ kubeconfigPaths: [onlyA, onlyB], context: 'b' }).listReleases()),
        portB,
        'context b exists only in the second file',
      );
      // Every command that talks to the cluster carries the target.
      const ref = { release: 'nats', namespace: 'nats' };
      const valuesFile = join(home.dir, 'empty.yaml');
      writeFileSync(valuesFile, '');
      const b = client({ kubeconfigPaths: [both], context: 'b' });
      const runs = [
        () => b.upgradeInstall({ ...ref, valuesFile, chart: chartDir('2.14.2') }),
        () => b.uninstall(ref),
        () => b.history(ref),
        () => b.releaseValues(ref),
        () => b.rollback(ref, 1),
      ];
      for (const run of runs) assert.equal(await dials(run()), portB);
    });

    it("a failing run is a HelmCommandError with helm's own sentence: a render error (not the --debug hint), a missing chart", async () => {
      const { chart } = await client().ensureNatsRepo();
      // container.env values must be strings or maps; the chart calls `fail` on a number.
      const valuesFile = join(home.dir, 'number-env.yaml');
      writeFileSync(valuesFile, 'container:\n  env:\n    GOMEMLIMIT: 3\n');
      const render = await client()
        .template({ release: 'nats', namespace: 'nats', valuesFile, chart, version: '2.14.2' })
        .catch((e: unknown) => e);
      assert.ok(render instanceof HelmCommandError, String(render));
      assert.equal(render.cancelled, false);
      assert.equal(
        render.message,
        'helm exited with code 1: execution error at (nats/templates/stateful-set.yaml:3:4): env var GOMEMLIMIT must be string or map, got float64',
      );
      assert.ok(
        render.result.kind === 'exited' && /Use --debug flag/.test(render.result.stderr),
        "helm's hint is still in stderr, only not in the sentence",
      );

      const missing = join(home.dir, 'charts', 'nats-9.9.9');
      const gone = await client()
        .template({ release: 'nats', namespace: 'nats', valuesFile, chart: missing })
        .catch((e: unknown) => e);
      assert.ok(gone instanceof HelmCommandError, String(gone));
      assert.equal(gone.message, `helm exited with code 1: path "${missing}" not found`);
    });

    it('a mirror that is down: the sentence is about the chart repository, not the cluster, and nothing is added', async () => {
      const down = await startChartRepo({ versions: ['0.19.17'], path: 'mirror' });
      await down.stop();
      const err = await client({ repository: down.url })
        .ensureNatsRepo()
        .catch((e: unknown) => e);
      assert.ok(err instanceof HelmCommandError, String(err));
      assert.match(
        err.message,
        new RegExp(
          `^The chart repository cannot be reached \\(looks like "${escapeRegExp(down.url)}" is not a valid chart repository or cannot be reached: .*connection refused\\): check the network or proxy, and natsK3s\\.helm\\.repository`,
        ),
      );
      assert.deepEqual(await repoList(), []);
    });

    it('a cancelled run is a HelmCommandError that says so; helm is killed by its PID and adds nothing', async () => {
      const silent = await startChartRepo({ versions: ['0.19.17'] });
      try {
        silent.stopAnswering();
        const held = silent.nextHeldRequest();
        const abort = new AbortController();
        const run = client({ repository: silent.url })
          .ensureNatsRepo(abort.signal)
          .catch((e: unknown) => e);
        assert.equal(await held, '/index.yaml');
        const running = childProcesses().filter((c) => c.argv[0] === helmPath);
        assert.deepEqual(
          running.map((c) => c.argv.slice(1)),
          [['repo', 'add', 'nats', silent.url]],
          'helm is waiting for the index',
        );
        abort.abort();
        const err = await run;
        assert.ok(err instanceof HelmCommandError && err.cancelled, String(err));
        assert.equal(err.message, `${basename(helmPath)} was cancelled; nothing more was done.`);
        assert.equal(isAlive(running[0]!.pid), false, 'the helm process is gone');
        assert.deepEqual(await repoList(), []);
      } finally {
        await silent.stop();
      }
    });
  });
}
