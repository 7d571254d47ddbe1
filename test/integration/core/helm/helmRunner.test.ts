/**
 * The runner with REAL helm v3 and v4 (built from their Go modules): spawning without a shell, argument arrays that
 * reach helm intact (seen in what helm renders, or quotes back in its errors), lines streamed while helm runs, exit
 * codes, "not found", and cancellation that kills helm by its PID while it waits on a REAL chart repository on
 * loopback that has stopped answering (test/harness/chartRepo.ts). helm keeps its state in a temp folder, never in
 * ~/.config/helm; the clusters here are kubeconfigs pointing at closed loopback ports. Nothing here is a double.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  listReleasesArgs,
  repoAddArgs,
  repoListArgs,
  repoUpdateArgs,
  templateArgs,
} from '../../../../src/core/helm/helmArgs';
import { parseRepoList } from '../../../../src/core/helm/helmOutput';
import { runHelm } from '../../../../src/core/helm/helmRunner';
import { chartDir, helmHome, startChartRepo, type HelmHome } from '../../../harness/chartRepo';
import { childProcesses, freePorts, isAlive } from '../../../harness/processes';
import { tools } from '../../../harness/tools';
import { findObject, HELMS, renderedObjects } from './chartFixture';

/** A kubeconfig with one context, `context`, whose API server is a loopback port nothing listens on. */
function unreachableKubeconfig(path: string, context: string, port: number): string {
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: gone\n  cluster:\n    server: https://127.0.0.1:${port}\ncontexts:\n- name: ${JSON.stringify(context)}\n  context:\n    cluster: gone\n    user: u\nusers:\n- name: u\n  user:\n    token: t\ncurrent-context: ${JSON.stringify(context)}\n`,
  );
  return path;
}

for (const helm of HELMS) {
  describe(`runHelm with ${helm}`, () => {
    let home: HelmHome;
    let helmPath: string;
    before(() => {
      helmPath = tools()[helm];
    });
    beforeEach(() => {
      home = helmHome();
    });
    afterEach(() => home.remove());

    it('runs the binary it is given: helm version', async () => {
      const result = await runHelm(['version', '--short'], { helmPath, env: home.env });
      assert.equal(result.kind, 'ok', JSON.stringify(result));
      assert.match(result.kind === 'ok' ? result.stdout : '', helm === 'helm3' ? /^v3\.\d+\.\d+/ : /^v4\.\d+\.\d+/);
    });

    it('hands every argument over intact, without a shell: helm quotes the odd release name back', async () => {
      const odd = 'odd name; rm -rf ~ $(id) `id` "q"';
      const result = await runHelm(['template', odd, chartDir('2.14.2')], { helmPath, env: home.env });
      assert.equal(result.kind, 'exited', JSON.stringify(result));
      assert.ok(result.kind === 'exited');
      // helm quotes it Go-style (%q), which for these characters is JSON's quoting.
      assert.ok(result.stderr.includes(`release name ${JSON.stringify(odd)}: invalid release name`), result.stderr);
    });

    it('a values path with a quote, a $ and spaces reaches helm as one file name, which it reads', async () => {
      const folder = join(home.dir, "it's $HOME");
      mkdirSync(folder);
      const valuesFile = join(folder, 'values (1).yaml');
      writeFileSync(valuesFile, 'config:\n  cluster:\n    enabled: true\n    replicas: 3\n');
      const result = await runHelm(
        templateArgs({ release: 'nats', namespace: 'nats', valuesFile, chart: chartDir('2.14.2') }),
        { helmPath, env: home.env },
      );
      assert.equal(result.kind, 'ok', JSON.stringify(result));
      const sts = findObject(renderedObjects(result.kind === 'ok' ? result.stdout : ''), 'StatefulSet', 'nats');
      assert.equal((sts?.spec as { replicas?: number } | undefined)?.replicas, 3);
    });

    it('a kubeconfig path with a space and an odd context name reach helm intact: it dials that context', async () => {
      const [port] = await freePorts(1);
      mkdirSync(join(home.dir, 'a b'));
      const context = 'arn:aws:eks:eu-1:1:cluster/k3s; rm -rf ~';
      const kubeconfig = unreachableKubeconfig(join(home.dir, 'a b', 'k3s.yaml'), context, port!);
      const result = await runHelm(listReleasesArgs({ kubeconfig, context }), { helmPath, env: home.env });
      assert.equal(result.kind, 'exited', JSON.stringify(result));
      assert.ok(result.kind === 'exited');
      assert.match(
        result.explanation,
        new RegExp(
          `^The cluster is unreachable \\(.*127\\.0\\.0\\.1:${port}.*connection refused\\): check that K3s is running`,
        ),
      );
    });

    it('finds helm on PATH and hands it the environment (KUBECONFIG)', async () => {
      const bin = join(home.dir, 'bin');
      mkdirSync(bin);
      symlinkSync(helmPath, join(bin, 'helm'));
      const [port] = await freePorts(1);
      const kubeconfig = unreachableKubeconfig(join(home.dir, 'kubeconfig'), 'k3s', port!);
      const result = await runHelm(listReleasesArgs(), { env: { ...home.env, PATH: bin, KUBECONFIG: kubeconfig } });
      assert.equal(result.kind, 'exited', JSON.stringify(result));
      assert.ok(result.kind === 'exited');
      assert.ok(result.stderr.includes(`127.0.0.1:${port}`), result.stderr);
    });

    it('streams the output lines to the callback, the same lines the result holds', async () => {
      const lines: string[] = [];
      const result = await runHelm(
        templateArgs({ release: 'nats', namespace: 'nats', valuesFile: '/dev/null', chart: chartDir('2.14.2') }),
        {
          helmPath,
          env: home.env,
          onLine: (stream, line) => lines.push(`${stream}: ${line}`),
        },
      );
      assert.equal(result.kind, 'ok', JSON.stringify(result));
      assert.ok(result.kind === 'ok');
      assert.deepEqual(
        lines.filter((l) => l.startsWith('stdout: ')),
        result.stdout.split('\n').map((l) => `stdout: ${l}`),
      );
      assert.ok(lines.includes('stdout: # Source: nats/templates/stateful-set.yaml'));
      assert.ok(lines.length > 100, `${lines.length} lines`);
    });

    it('keeps "exited with code N" apart, with stderr and one sentence', async () => {
      const missing = join(home.dir, 'no-such-chart');
      const result = await runHelm(['template', 'nats', missing], { helmPath, env: home.env });
      assert.equal(result.kind, 'exited', JSON.stringify(result));
      assert.ok(result.kind === 'exited');
      assert.equal(result.code, 1);
      assert.equal(result.signal, null);
      assert.match(result.stderr, /^Error: path ".*no-such-chart" not found$/m);
      assert.equal(result.explanation, `helm exited with code 1: path "${missing}" not found`);
    });

    it('keeps "not found" apart, naming the setting', async () => {
      const configured = await runHelm(repoListArgs(), { helmPath: join(home.dir, 'no-such-helm'), env: home.env });
      assert.deepEqual(configured, {
        kind: 'not-found',
        binary: join(home.dir, 'no-such-helm'),
        explanation: `no-such-helm was not found at ${join(home.dir, 'no-such-helm')}: install it or set natsK3s.helmPath to its path.`,
      });
      const onPath = await runHelm(repoListArgs(), { env: { ...home.env, PATH: join(home.dir, 'empty') } });
      assert.equal(onPath.kind, 'not-found');
      assert.equal(
        onPath.kind === 'not-found' && onPath.explanation,
        'helm was not found on PATH: install it or set natsK3s.helmPath to its path.',
      );
    });

    it('cancellation kills helm by its PID while it waits on a repository that stopped answering; its lines came while it ran', async () => {
      const repo = await startChartRepo({ versions: ['0.19.17'] });
      try {
        assert.equal((await runHelm(repoAddArgs('nats', repo.url), { helmPath, env: home.env })).kind, 'ok');
        repo.stopAnswering();
        const held = repo.nextHeldRequest();
        const abort = new AbortController();
        let helmRanAtFirstLine: (running: boolean) => void;
        const firstLine = new Promise<boolean>((resolve) => (helmRanAtFirstLine = resolve));
        const run = runHelm(repoUpdateArgs('nats'), {
          helmPath,
          env: home.env,
          signal: abort.signal,
          onLine: (_stream, line) => {
            if (/^Hang tight/.test(line)) helmRanAtFirstLine(childProcesses().some((c) => c.argv[0] === helmPath));
          },
        });
        // helm prints "Hang tight…" and then blocks on the index download; both are awaited before the abort.
        const [path, ranAtFirstLine] = await Promise.all([held, firstLine]);
        assert.equal(path, '/index.yaml');
        assert.equal(ranAtFirstLine, true, '"Hang tight…" reached the callback while helm was still running');
        const running = childProcesses().filter((c) => c.argv[0] === helmPath);
        assert.deepEqual(
          running.map((c) => c.argv.slice(1)),
          [['repo', 'update', 'nats']],
        );
        abort.abort();
        assert.deepEqual(await run, {
          kind: 'cancelled',
          explanation: `${basename(helmPath)} was cancelled; nothing more was done.`,
        });
        assert.equal(isAlive(running[0]!.pid), false, 'the helm process is gone');
      } finally {
        await repo.stop();
      }
    });

    it('an already aborted signal runs nothing', async () => {
      const repo = await startChartRepo({ versions: ['0.19.17'] });
      try {
        const abort = new AbortController();
        abort.abort();
        assert.deepEqual(
          await runHelm(repoAddArgs('nats', repo.url), { helmPath, env: home.env, signal: abort.signal }),
          {
            kind: 'cancelled',
            explanation: `${basename(helmPath)} was cancelled; nothing more was done.`,
          },
        );
        assert.deepEqual(repo.requests(), [], 'helm never asked the repository for its index');
        const list = await runHelm(repoListArgs(), { helmPath, env: home.env });
        assert.deepEqual(list.kind === 'ok' && parseRepoList(list.stdout), []);
      } finally {
        await repo.stop();
      }
    });
  });
}
