/**
 * The runner against the helm TEST DOUBLE (test/doubles/helmDouble.ts): a real child process that records its argv
 * and answers from fixtures. What is real here: spawning, argument passing without a shell, streaming, exit codes,
 * killing by PID. What is a double: helm itself.
 */
import * as assert from 'node:assert/strict';
import { getValuesArgs, listReleasesArgs, repoAddArgs, repoListArgs, templateArgs, uninstallArgs, upgradeInstallArgs } from '../../../../src/core/helm/helmArgs';
import { findNatsRepo, natsReleases, parseReleaseList, parseReleaseValues, parseRepoList } from '../../../../src/core/helm/helmOutput';
import { runHelm } from '../../../../src/core/helm/helmRunner';
import { isAlive } from '../../../harness/processes';
import { createHelmDouble, type HelmDouble } from '../../../doubles/helmDouble';

describe('runHelm against the helm double', () => {
  let helm: HelmDouble;
  beforeEach(() => {
    helm = createHelmDouble();
  });
  afterEach(() => helm.dispose());

  it('passes the exact argument arrays for install, upgrade, template, uninstall and repo add, names with odd characters intact', async () => {
    const odd = { release: 'my-nats.v2', namespace: 'nats-prod', valuesFile: "/tmp/it's $HOME/values (1).yaml", context: 'arn:aws:eks:eu-1:1:cluster/k3s; rm -rf ~', kubeconfig: '/home/a b/k3s.yaml' };
    const runs = [
      repoAddArgs(),
      upgradeInstallArgs({ ...odd, version: '2.14.2', waitTimeoutSeconds: 300 }),
      upgradeInstallArgs({ ...odd, dryRun: true }),
      templateArgs(odd),
      uninstallArgs(odd),
    ];
    for (const args of runs) {
      const result = await runHelm(args, { helmPath: helm.binPath });
      assert.equal(result.kind, 'ok', JSON.stringify(result));
    }
    assert.deepEqual(helm.calls().map((c) => c.argv), [
      ['repo', 'add', 'nats', 'https://nats-io.github.io/k8s/helm/charts/'],
      ['upgrade', '--install', 'my-nats.v2', 'nats/nats', '--namespace=nats-prod', "--values=/tmp/it's $HOME/values (1).yaml", '--version=2.14.2', '--create-namespace', '--wait', '--timeout=300s', '--kubeconfig=/home/a b/k3s.yaml', '--kube-context=arn:aws:eks:eu-1:1:cluster/k3s; rm -rf ~'],
      ['upgrade', '--install', 'my-nats.v2', 'nats/nats', '--namespace=nats-prod', "--values=/tmp/it's $HOME/values (1).yaml", '--create-namespace', '--dry-run', '--kubeconfig=/home/a b/k3s.yaml', '--kube-context=arn:aws:eks:eu-1:1:cluster/k3s; rm -rf ~'],
      ['template', 'my-nats.v2', 'nats/nats', '--namespace=nats-prod', "--values=/tmp/it's $HOME/values (1).yaml"],
      ['uninstall', 'my-nats.v2', '--namespace=nats-prod', '--kubeconfig=/home/a b/k3s.yaml', '--kube-context=arn:aws:eks:eu-1:1:cluster/k3s; rm -rf ~'],
    ]);
  });

  it('finds helm on PATH and hands it the environment (KUBECONFIG)', async () => {
    const result = await runHelm(listReleasesArgs(), { env: { PATH: `${helm.dir}:${process.env.PATH ?? ''}`, KUBECONFIG: '/tmp/kc.yaml' } });
    assert.equal(result.kind, 'ok');
    assert.deepEqual(helm.calls(), [{ argv: ['list', '-A', '-o', 'json'], kubeconfig: '/tmp/kc.yaml', pid: helm.calls()[0]!.pid }]);
    const releases = natsReleases(parseReleaseList(result.kind === 'ok' ? result.stdout : ''));
    assert.deepEqual(releases.map((r) => `${r.namespace}/${r.name} ${r.status} ${r.chart}`), ['iot/edge failed nats-0.19.17', 'nats/nats deployed nats-2.14.2']);
  });

  it('answers repo list and get values with JSON that the parsers read', async () => {
    const repos = await runHelm(repoListArgs(), { helmPath: helm.binPath });
    assert.equal(repos.kind === 'ok' && findNatsRepo(parseRepoList(repos.stdout))?.name, 'nats-io');
    const values = await runHelm(getValuesArgs({ release: 'nats', namespace: 'nats' }), { helmPath: helm.binPath });
    assert.ok(values.kind === 'ok' && 'config' in parseReleaseValues(values.stdout));
  });

  it('streams stdout and stderr lines to the callback as they come', async () => {
    helm.setResponse('upgrade', { stdout: 'Release "nats" has been upgraded.\nSTATUS: deployed', stderr: 'coalesce.go:286: warning: skipped value' });
    const lines: string[] = [];
    const result = await runHelm(upgradeInstallArgs({ release: 'nats', namespace: 'nats', valuesFile: '/v.yaml' }), { helmPath: helm.binPath, onLine: (s, l) => lines.push(`${s}: ${l}`) });
    assert.equal(result.kind, 'ok');
    assert.deepEqual(lines.sort(), ['stderr: coalesce.go:286: warning: skipped value', 'stdout: Release "nats" has been upgraded.', 'stdout: STATUS: deployed']);
  });

  it('keeps "exited with code N" apart, with stderr and one sentence', async () => {
    helm.setResponse('uninstall', { stderr: 'Error: uninstall: Release not loaded: nats: release: not found', exitCode: 1 });
    const result = await runHelm(uninstallArgs({ release: 'nats', namespace: 'nats' }), { helmPath: helm.binPath });
    assert.equal(result.kind, 'exited');
    assert.ok(result.kind === 'exited');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /release: not found/);
    assert.equal(result.explanation, 'Release nats was not found in that namespace: pick it from the list of installed releases.');
  });

  it('keeps "not found" apart, naming the setting', async () => {
    const configured = await runHelm(repoListArgs(), { helmPath: `${helm.dir}/no-such-helm` });
    assert.deepEqual(configured, { kind: 'not-found', binary: `${helm.dir}/no-such-helm`, explanation: `no-such-helm was not found at ${helm.dir}/no-such-helm: install it or set natsK3s.helmPath to its path.` });
    const onPath = await runHelm(repoListArgs(), { env: { PATH: helm.dir + '-empty' } });
    assert.equal(onPath.kind, 'not-found');
    assert.equal(onPath.kind === 'not-found' && onPath.explanation, 'helm was not found on PATH: install it or set natsK3s.helmPath to its path.');
  });

  it('cancellation kills the process by its PID', async () => {
    helm.setResponse('upgrade', { hang: true });
    const abort = new AbortController();
    const result = await runHelm(upgradeInstallArgs({ release: 'nats', namespace: 'nats', valuesFile: '/v.yaml', waitTimeoutSeconds: 600 }), {
      helmPath: helm.binPath,
      signal: abort.signal,
      onLine: (_s, line) => line === 'helm-double: waiting' && abort.abort(),
    });
    assert.deepEqual(result, { kind: 'cancelled', explanation: 'helm was cancelled; nothing more was done.' });
    const [call] = helm.calls();
    assert.ok(call);
    assert.equal(isAlive(call.pid), false, 'the helm process is gone');
  });

  it('an already aborted signal runs nothing', async () => {
    const abort = new AbortController();
    abort.abort();
    assert.equal((await runHelm(repoListArgs(), { helmPath: helm.binPath, signal: abort.signal })).kind, 'cancelled');
    assert.deepEqual(helm.calls(), []);
  });
});
