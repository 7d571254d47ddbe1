import * as assert from 'node:assert/strict';
import {
  checkChartVersion,
  checkNamespace,
  checkReleaseName,
  checkRepoUrl,
  getValuesArgs,
  checkLocalChart,
  HelmArgumentError,
  isLocalChart,
  lintArgs,
  listReleasesArgs,
  NATS_REPO_URL,
  repoAddArgs,
  repoListArgs,
  repoUpdateArgs,
  searchVersionsArgs,
  showValuesArgs,
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

  it('repo add of a mirror (natsK3s.helm.repository): its URL as given, one positional argument', () => {
    assert.deepEqual(repoAddArgs('nats', 'https://harbor.example.com/chartrepo/nats'), [
      'repo',
      'add',
      'nats',
      'https://harbor.example.com/chartrepo/nats',
    ]);
    assert.deepEqual(repoAddArgs('nats-io-charts', 'http://127.0.0.1:8080/charts/'), [
      'repo',
      'add',
      'nats-io-charts',
      'http://127.0.0.1:8080/charts/',
    ]);
    for (const good of [
      'https://nats-io.github.io/k8s/helm/charts/',
      'http://chartmuseum.local:8080',
      'https://u@artifactory.example.com/artifactory/api/helm/nats',
    ]) {
      assert.equal(checkRepoUrl(good), good);
    }
    // Anything helm could read as a flag, or that is not a URL at all, is refused before helm runs.
    for (const bad of [
      '--insecure-skip-tls-verify',
      '-https://x',
      'charts.example.com/nats',
      '/srv/charts',
      '',
      'https://a b/charts',
      'https://x/\ncharts',
      'https://',
    ]) {
      assert.throws(
        () => repoAddArgs('nats', bad),
        (e: Error) =>
          e instanceof HelmArgumentError &&
          /^The chart repository URL .* is not valid: set natsK3s\.helm\.repository to the full URL/.test(e.message),
        JSON.stringify(bad),
      );
    }
  });

  it('search versions of the chart', () => {
    assert.deepEqual(searchVersionsArgs(), ['search', 'repo', 'nats/nats', '--versions', '-o', 'json']);
    assert.deepEqual(searchVersionsArgs('nats-io/nats'), [
      'search',
      'repo',
      'nats-io/nats',
      '--versions',
      '-o',
      'json',
    ]);
    assert.throws(() => searchVersionsArgs('nats; rm -rf /'), HelmArgumentError);
  });

  it('upgrade --install with every option', () => {
    assert.deepEqual(
      upgradeInstallArgs({
        ...install,
        version: '2.14.2',
        waitTimeoutSeconds: 300,
        kubeconfig: '/etc/rancher/k3s/k3s.yaml',
        context: 'default',
      }),
      [
        'upgrade',
        '--install',
        'nats',
        'nats/nats',
        '--namespace=nats',
        '--values=/work/values.yaml',
        '--version=2.14.2',
        '--create-namespace',
        '--wait',
        '--timeout=300s',
        '--kubeconfig=/etc/rancher/k3s/k3s.yaml',
        '--kube-context=default',
      ],
    );
  });

  it('upgrade --install with defaults only: newest version, namespace created, no wait', () => {
    assert.deepEqual(upgradeInstallArgs(install), [
      'upgrade',
      '--install',
      'nats',
      'nats/nats',
      '--namespace=nats',
      '--values=/work/values.yaml',
      '--create-namespace',
    ]);
  });

  it('a dry run, without creating the namespace, from a repo with another name', () => {
    assert.deepEqual(upgradeInstallArgs({ ...install, chart: 'nats-io/nats', createNamespace: false, dryRun: true }), [
      'upgrade',
      '--install',
      'nats',
      'nats-io/nats',
      '--namespace=nats',
      '--values=/work/values.yaml',
      '--dry-run',
    ]);
  });

  it('values that start with a dash or hold spaces stay one argument each, glued to their flag', () => {
    const args = upgradeInstallArgs({
      ...install,
      valuesFile: '-f /tmp/my values.yaml',
      context: '--kubeconfig=/evil',
      kubeconfig: '/home/a b/.kube/config',
    });
    assert.ok(args.includes('--values=-f /tmp/my values.yaml'));
    assert.ok(args.includes('--kube-context=--kubeconfig=/evil'));
    assert.ok(args.includes('--kubeconfig=/home/a b/.kube/config'));
    assert.equal(args.filter((a) => a.startsWith('--kubeconfig=')).length, 1);
  });

  it('template takes the same chart, values, version and namespace, and no cluster flags', () => {
    assert.deepEqual(templateArgs({ ...install, version: '1.3.16', waitTimeoutSeconds: 60, context: 'k3s' }), [
      'template',
      'nats',
      'nats/nats',
      '--namespace=nats',
      '--values=/work/values.yaml',
      '--version=1.3.16',
    ]);
  });

  it('get values, list and uninstall', () => {
    assert.deepEqual(getValuesArgs({ release: 'nats', namespace: 'nats', context: 'k3s' }), [
      'get',
      'values',
      'nats',
      '--namespace=nats',
      '-o',
      'json',
      '--kube-context=k3s',
    ]);
    assert.deepEqual(listReleasesArgs(), ['list', '-A', '-o', 'json']);
    assert.deepEqual(listReleasesArgs({ kubeconfig: '/k', context: 'c' }), [
      'list',
      '-A',
      '-o',
      'json',
      '--kubeconfig=/k',
      '--kube-context=c',
    ]);
    assert.deepEqual(uninstallArgs({ release: 'edge.1', namespace: 'iot' }), [
      'uninstall',
      'edge.1',
      '--namespace=iot',
    ]);
    assert.deepEqual(uninstallArgs({ release: 'nats', namespace: 'nats' }, { dryRun: true }), [
      'uninstall',
      'nats',
      '--namespace=nats',
      '--dry-run',
    ]);
  });

  it('refuses names Kubernetes would reject, with one sentence naming the rule', () => {
    for (const bad of ['Nats', 'nats_1', '-nats', 'nats-', '', 'a'.repeat(54), 'nats; rm -rf ~', 'nats\nx', '$(id)']) {
      assert.throws(
        () => checkReleaseName(bad),
        (e: Error) => e instanceof HelmArgumentError && /^Release name .* is not valid: use at most 53/.test(e.message),
        bad,
      );
    }
    for (const good of ['nats', 'my-nats', 'n', 'nats.v2', 'a'.repeat(53), '0nats'])
      assert.equal(checkReleaseName(good), good);
    for (const bad of ['Nats', 'a.b', 'ns_1', 'a'.repeat(64), '--all-namespaces'])
      assert.throws(() => checkNamespace(bad), HelmArgumentError, bad);
    assert.equal(checkNamespace('a'.repeat(63)), 'a'.repeat(63));
    for (const bad of ['latest', '2.14', '--devel', '2.14.2; ls', '>=1.0.0'])
      assert.throws(() => checkChartVersion(bad), HelmArgumentError, bad);
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

  describe('a local chart (natsK3s.helm.chart)', () => {
    const chart = '/srv/charts/nats-2.14.2';

    it('takes the absolute path as the chart, with no --version', () => {
      assert.deepEqual(upgradeInstallArgs({ ...install, chart, waitTimeoutSeconds: 60 }), [
        'upgrade',
        '--install',
        'nats',
        chart,
        '--namespace=nats',
        '--values=/work/values.yaml',
        '--create-namespace',
        '--wait',
        '--timeout=60s',
      ]);
      assert.deepEqual(templateArgs({ ...install, chart: '/srv/vendor/nats-2.14.2.tgz' }), [
        'template',
        'nats',
        '/srv/vendor/nats-2.14.2.tgz',
        '--namespace=nats',
        '--values=/work/values.yaml',
      ]);
    });

    it('a path with spaces, quotes or a leading dash after the slash stays one positional argument', () => {
      const odd = "/home/a b/it's --charts/-nats";
      assert.equal(templateArgs({ ...install, chart: odd })[2], odd);
      assert.deepEqual(lintArgs(odd, '/v/values.yaml'), ['lint', odd, '--values=/v/values.yaml']);
    });

    it('lint and show values', () => {
      assert.deepEqual(lintArgs(chart, '/work/values.yaml'), ['lint', chart, '--values=/work/values.yaml']);
      assert.deepEqual(showValuesArgs(chart), ['show', 'values', chart]);
      assert.deepEqual(showValuesArgs('nats/nats', '0.19.17'), ['show', 'values', 'nats/nats', '--version=0.19.17']);
      assert.throws(() => lintArgs('nats/nats', '/v.yaml'), /not absolute/, 'helm lints only local charts');
    });

    it('tells a path from a repo reference', () => {
      for (const local of ['/srv/nats', './nats', '../charts/nats', '~/charts/nats', '.'])
        assert.equal(isLocalChart(local), true, local);
      for (const ref of ['nats/nats', 'nats-io/nats', '-nats', '--set=x']) assert.equal(isLocalChart(ref), false, ref);
    });

    it('refuses a relative path, control characters, and anything that could be read as a flag', () => {
      for (const bad of ['./nats', '../nats', '~/charts/nats', 'nats-2.14.2.tgz', '-f', '--repo=https://evil', '']) {
        assert.throws(() => checkLocalChart(bad), HelmArgumentError, bad);
      }
      for (const bad of ['/srv/na\nts', '/srv/nats\u0000', '/srv/\u001b[31mnats'])
        assert.throws(() => checkLocalChart(bad), /control characters/, JSON.stringify(bad));
      for (const bad of ['./nats', '~/nats', '--kubeconfig=/x', '-nats/x']) {
        assert.throws(() => templateArgs({ ...install, chart: bad }), HelmArgumentError, bad);
        assert.throws(() => upgradeInstallArgs({ ...install, chart: bad }), HelmArgumentError, bad);
        assert.throws(() => showValuesArgs(bad), HelmArgumentError, bad);
      }
      assert.equal(checkLocalChart(chart), chart);
    });

    it('refuses a chart version with a local chart rather than drop it silently', () => {
      assert.throws(() => upgradeInstallArgs({ ...install, chart, version: '2.14.2' }), /has its own version/);
      assert.throws(() => templateArgs({ ...install, chart, version: '2.14.2' }), /has its own version/);
      assert.throws(() => showValuesArgs(chart, '2.14.2'), /has its own version/);
    });
  });
});
