/**
 * HelmClient against the helm TEST DOUBLE (test/doubles/helmDouble.ts): a small executable that records each
 * argument array and answers with canned `-o json` output. Real: process spawning, argument arrays, exit codes.
 */
import * as assert from 'node:assert/strict';
import { HelmClient, HelmCommandError } from '../../../../src/core/helm/helmClient';
import { HelmArgumentError } from '../../../../src/core/helm/helmArgs';
import { createHelmDouble, type HelmDouble } from '../../../doubles/helmDouble';

describe('HelmClient with the helm double', () => {
  let helm: HelmDouble;
  beforeEach(() => (helm = createHelmDouble()));
  afterEach(() => helm.dispose());
  const client = (paths: string[] = ['/k/config'], context = 'k3s') => new HelmClient({ helmPath: helm.binPath, kubeconfigPaths: paths, context });

  it('finds the NATS repo by URL whatever its name, without adding it again', async () => {
    assert.deepEqual(await client().ensureNatsRepo(), { chart: 'nats-io/nats', added: false });
    assert.deepEqual(helm.calls().map((c) => c.argv), [['repo', 'list', '-o', 'json']]);
  });

  it('adds and updates the repo when helm has none ("no repositories to show" is an empty list)', async () => {
    helm.setResponse('repo list', { stderr: 'Error: no repositories to show', exitCode: 1 });
    assert.deepEqual(await client().ensureNatsRepo(), { chart: 'nats/nats', added: true });
    assert.deepEqual(helm.calls().map((c) => c.argv), [
      ['repo', 'list', '-o', 'json'],
      ['repo', 'add', 'nats', 'https://nats-io.github.io/k8s/helm/charts/'],
      ['repo', 'update', 'nats'],
    ]);
  });

  it('adds the repo under another name when "nats" already names a different repo', async () => {
    helm.setResponse('repo list', { stdout: '[{"name":"nats","url":"https://example.com/charts"}]' });
    assert.deepEqual(await client().ensureNatsRepo(), { chart: 'nats-io-charts/nats', added: true });
    assert.deepEqual(helm.calls()[1]!.argv, ['repo', 'add', 'nats-io-charts', 'https://nats-io.github.io/k8s/helm/charts/']);
  });

  it('passes one kubeconfig and the context as flags, several kubeconfigs through KUBECONFIG', async () => {
    await client().listReleases();
    await client(['/a', '/b'], 'k3s').listReleases();
    const [one, two] = helm.calls();
    assert.deepEqual(one!.argv, ['list', '-A', '-o', 'json', '--kubeconfig=/k/config', '--kube-context=k3s']);
    assert.deepEqual(two!.argv, ['list', '-A', '-o', 'json', '--kube-context=k3s']);
    assert.equal(two!.kubeconfig, '/a:/b');
  });

  it('upgrade --install, template and uninstall with exact argument arrays', async () => {
    const install = { release: 'nats', namespace: 'nats', valuesFile: '/v/values with space.yaml', chart: 'nats-io/nats', version: '2.14.2', waitTimeoutSeconds: 42 };
    await client().upgradeInstall(install);
    await client().template(install);
    await client().uninstall({ release: 'nats', namespace: 'nats' });
    assert.deepEqual(helm.calls().map((c) => c.argv), [
      ['upgrade', '--install', 'nats', 'nats-io/nats', '--namespace=nats', '--values=/v/values with space.yaml', '--version=2.14.2', '--create-namespace', '--wait', '--timeout=42s', '--kubeconfig=/k/config', '--kube-context=k3s'],
      ['template', 'nats', 'nats-io/nats', '--namespace=nats', '--values=/v/values with space.yaml', '--version=2.14.2'],
      ['uninstall', 'nats', '--namespace=nats', '--kubeconfig=/k/config', '--kube-context=k3s'],
    ]);
  });

  it('refuses odd names before helm runs', async () => {
    await assert.rejects(client().uninstall({ release: 'nats; rm -rf ~', namespace: 'nats' }), HelmArgumentError);
    await assert.rejects(client().upgradeInstall({ release: 'nats', namespace: '--all', valuesFile: '/v.yaml' }), HelmArgumentError);
    assert.deepEqual(helm.calls(), []);
  });

  it('turns a failed run into a HelmCommandError with helm’s sentence', async () => {
    helm.setResponse('upgrade', { stderr: 'Error: UPGRADE FAILED: context deadline exceeded', exitCode: 1 });
    const err = await client().upgradeInstall({ release: 'nats', namespace: 'nats', valuesFile: '/v.yaml' }).catch((e: unknown) => e);
    assert.ok(err instanceof HelmCommandError);
    assert.equal(err.cancelled, false);
    assert.match(err.message, /^The install timed out before all pods were ready/);
  });

  it('quotes the render error, not helm’s trailing "Use --debug flag" hint', async () => {
    helm.setResponse('template', { stderr: 'Error: execution error at (nats/templates/stateful-set.yaml:3:4): env var X must be string or map, got float64\n\nUse --debug flag to render out invalid YAML', exitCode: 1 });
    const err = await client().template({ release: 'nats', namespace: 'nats', valuesFile: '/v.yaml' }).catch((e: unknown) => e);
    assert.ok(err instanceof HelmCommandError);
    assert.equal(err.message, 'helm exited with code 1: execution error at (nats/templates/stateful-set.yaml:3:4): env var X must be string or map, got float64');
  });

  it('a cancelled run is a HelmCommandError that says so', async () => {
    helm.setResponse('upgrade', { hang: true });
    const abort = new AbortController();
    const run = client().upgradeInstall({ release: 'nats', namespace: 'nats', valuesFile: '/v.yaml' }, abort.signal).catch((e: unknown) => e);
    while (helm.calls().length === 0) await new Promise((r) => setImmediate(r));
    abort.abort();
    const err = await run;
    assert.ok(err instanceof HelmCommandError && err.cancelled);
  });

  it('parses versions, releases and values', async () => {
    const versions = await client().chartVersions('nats-io/nats');
    assert.equal(versions[0]!.version, '2.14.2');
    const releases = await client().listReleases();
    assert.deepEqual(releases.map((r) => `${r.namespace}/${r.name} ${r.chartName}`).sort(), ['iot/edge nats', 'kube-system/traefik traefik', 'nats/nats nats', 'nats/nats-kafka nats-kafka']);
    const values = await client().releaseValues({ release: 'nats', namespace: 'nats' });
    assert.deepEqual((values.config as { cluster: unknown }).cluster, { enabled: true, replicas: 3 });
  });
});
