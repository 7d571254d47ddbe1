import * as assert from 'node:assert/strict';
import {
  checkChartVersion,
  checkNamespace,
  checkReleaseName,
  getValuesArgs,
  HelmArgumentError,
  listReleasesArgs,
  NATS_REPO_URL,
  repoAddArgs,
  repoListArgs,
  repoUpdateArgs,
  searchVersionsArgs,
  templateArgs,
  uninstallArgs,
  upgradeInstallArgs,
} from '../../../../src/core/helm/helmArgs';

const install = { release: 'nats', namespace: 'nats', valuesFile: '/work/values.yaml' };

describe('helm argument arrays', () => {
  it('repo list, add and update', () => {
    assert.deepEqual(repoListArgs(), ['repo', 'list', '-o', 'json']);
    assert.deepEqual(repoAddArgs(), ['repo', 'add', 'nats', 'https://nats-io.github.io/k8s/helm/charts/']);
    assert.equal(NATS_REPO_URL, 'https://nats-io.github.io/k8s/helm/charts/');
    assert.deepEqual(repoUpdateArgs('nats-io'), ['repo', 'update', 'nats-io']);
    assert.throws(() => repoAddArgs('--insecure-skip-tls-verify'), HelmArgumentError);
  });

  it('search versions of the chart', () => {
    assert.deepEqual(searchVersionsArgs(), ['search', 'repo', 'nats/nats', '--versions', '-o', 'json']);
    assert.deepEqual(searchVersionsArgs('nats-io/nats'), ['search', 'repo', 'nats-io/nats', '--versions', '-o', 'json']);
    assert.throws(() => searchVersionsArgs('nats; rm -rf /'), HelmArgumentError);
  });

  it('upgrade --install with every option', () => {
    assert.deepEqual(
      upgradeInstallArgs({ ...install, version: '2.14.2', waitTimeoutSeconds: 300, kubeconfig: '/etc/rancher/k3s/k3s.yaml', context: 'default' }),
      [
        'upgrade', '--install', 'nats', 'nats/nats', '--namespace=nats', '--values=/work/values.yaml', '--version=2.14.2',
        '--create-namespace', '--wait', '--timeout=300s', '--kubeconfig=/etc/rancher/k3s/k3s.yaml', '--kube-context=default',
      ],
    );
  });

  it('upgrade --install with defaults only: newest version, namespace created, no wait', () => {
    assert.deepEqual(upgradeInstallArgs(install), ['upgrade', '--install', 'nats', 'nats/nats', '--namespace=nats', '--values=/work/values.yaml', '--create-namespace']);
  });

  it('a dry run, without creating the namespace, from a repo with another name', () => {
    assert.deepEqual(upgradeInstallArgs({ ...install, chart: 'nats-io/nats', createNamespace: false, dryRun: true }), [
      'upgrade', '--install', 'nats', 'nats-io/nats', '--namespace=nats', '--values=/work/values.yaml', '--dry-run',
    ]);
  });

  it('values that start with a dash or hold spaces stay one argument each, glued to their flag', () => {
    const args = upgradeInstallArgs({ ...install, valuesFile: '-f /tmp/my values.yaml', context: '--kubeconfig=/evil', kubeconfig: '/home/a b/.kube/config' });
    assert.ok(args.includes('--values=-f /tmp/my values.yaml'));
    assert.ok(args.includes('--kube-context=--kubeconfig=/evil'));
    assert.ok(args.includes('--kubeconfig=/home/a b/.kube/config'));
    assert.equal(args.filter((a) => a.startsWith('--kubeconfig=')).length, 1);
  });

  it('template takes the same chart, values, version and namespace, and no cluster flags', () => {
    assert.deepEqual(templateArgs({ ...install, version: '1.3.16', waitTimeoutSeconds: 60, context: 'k3s' }), [
      'template', 'nats', 'nats/nats', '--namespace=nats', '--values=/work/values.yaml', '--version=1.3.16',
    ]);
  });

  it('get values, list and uninstall', () => {
    assert.deepEqual(getValuesArgs({ release: 'nats', namespace: 'nats', context: 'k3s' }), ['get', 'values', 'nats', '--namespace=nats', '-o', 'json', '--kube-context=k3s']);
    assert.deepEqual(listReleasesArgs(), ['list', '-A', '-o', 'json']);
    assert.deepEqual(listReleasesArgs({ kubeconfig: '/k', context: 'c' }), ['list', '-A', '-o', 'json', '--kubeconfig=/k', '--kube-context=c']);
    assert.deepEqual(uninstallArgs({ release: 'edge.1', namespace: 'iot' }), ['uninstall', 'edge.1', '--namespace=iot']);
    assert.deepEqual(uninstallArgs({ release: 'nats', namespace: 'nats' }, { dryRun: true }), ['uninstall', 'nats', '--namespace=nats', '--dry-run']);
  });

  it('refuses names Kubernetes would reject, with one sentence naming the rule', () => {
    for (const bad of ['Nats', 'nats_1', '-nats', 'nats-', '', 'a'.repeat(54), 'nats; rm -rf ~', 'nats\nx', '$(id)']) {
      assert.throws(() => checkReleaseName(bad), (e: Error) => e instanceof HelmArgumentError && /^Release name .* is not valid: use at most 53/.test(e.message), bad);
    }
    for (const good of ['nats', 'my-nats', 'n', 'nats.v2', 'a'.repeat(53), '0nats']) assert.equal(checkReleaseName(good), good);
    for (const bad of ['Nats', 'a.b', 'ns_1', 'a'.repeat(64), '--all-namespaces']) assert.throws(() => checkNamespace(bad), HelmArgumentError, bad);
    assert.equal(checkNamespace('a'.repeat(63)), 'a'.repeat(63));
    for (const bad of ['latest', '2.14', '--devel', '2.14.2; ls', '>=1.0.0']) assert.throws(() => checkChartVersion(bad), HelmArgumentError, bad);
    for (const good of ['2.14.2', '1.0.0-rc.1', 'v1.2.3', '1.2.3+build.5']) assert.equal(checkChartVersion(good), good);
  });

  it('refuses bad names inside every builder, and control characters in paths and contexts', () => {
    assert.throws(() => upgradeInstallArgs({ ...install, release: 'NATS' }), HelmArgumentError);
    assert.throws(() => upgradeInstallArgs({ ...install, namespace: 'kube system' }), HelmArgumentError);
    assert.throws(() => upgradeInstallArgs({ ...install, version: 'newest' }), HelmArgumentError);
    assert.throws(() => upgradeInstallArgs({ ...install, valuesFile: 'a\nb' }), /control characters/);
    assert.throws(() => upgradeInstallArgs({ ...install, waitTimeoutSeconds: 0 }), /positive whole number/);
    assert.throws(() => uninstallArgs({ release: 'x', namespace: 'y', context: '' }), /empty/);
    assert.throws(() => getValuesArgs({ release: 'a/b', namespace: 'nats' }), HelmArgumentError);
  });
});
