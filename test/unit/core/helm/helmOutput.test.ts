import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareVersions,
  findNatsRepo,
  HelmOutputError,
  natsReleases,
  newestStableVersion,
  parseChartVersions,
  parseReleaseList,
  parseReleaseValues,
  parseRepoList,
  splitChartField,
} from '../../../../src/core/helm/helmOutput';
import { repoRoot } from '../../../harness/tools';

const fixture = (name: string) => readFileSync(join(repoRoot, 'test', 'fixtures', 'helm', name), 'utf8');

describe('parsing helm JSON output', () => {
  it('finds the NATS repo by URL whatever its name, ignoring the trailing slash', () => {
    const repos = parseRepoList(fixture('repo-list.json'));
    assert.equal(repos.length, 2);
    assert.deepEqual(findNatsRepo(repos), { name: 'nats-io', url: 'https://nats-io.github.io/k8s/helm/charts' });
    assert.equal(findNatsRepo([{ name: 'nats', url: 'https://example.com/charts/' }]), undefined);
    assert.deepEqual(parseRepoList(''), []);
    assert.deepEqual(parseRepoList('null'), []);
  });

  it('finds a mirror (natsK3s.helm.repository) by its URL, and no longer the official repo', () => {
    const repos = [
      { name: 'nats', url: 'https://nats-io.github.io/k8s/helm/charts/' },
      { name: 'harbor', url: 'https://Harbor.example.com/chartrepo/nats' },
    ];
    assert.deepEqual(findNatsRepo(repos, 'https://harbor.example.com/chartrepo/nats/'), repos[1]);
    assert.equal(findNatsRepo(repos, 'https://artifactory.example.com/helm-nats/'), undefined);
  });

  it('lists chart versions newest first, only for the chart asked, pre-releases after their release', () => {
    const versions = parseChartVersions(fixture('search-versions.json'), 'nats-io/nats');
    assert.deepEqual(
      versions.map((v) => v.version),
      ['2.14.2', '2.14.0', '2.12.11', '1.3.16', '1.0.0', '1.0.0-rc.1', '0.19.17'],
    );
    assert.equal(versions[3]!.appVersion, '2.11.10');
    assert.equal(newestStableVersion(versions), '2.14.2');
    assert.equal(newestStableVersion([{ version: '1.0.0-rc.1', appVersion: '', description: '' }]), undefined);
    assert.deepEqual(parseChartVersions('[]', 'nats/nats'), []);
  });

  it('orders versions numerically, not as text', () => {
    assert.ok(compareVersions('2.12.11', '2.12.6') > 0);
    assert.ok(compareVersions('1.0.0', '1.0.0-rc.1') > 0);
    assert.ok(compareVersions('1.0.0-beta.7', '1.0.0-rc.0') < 0);
    assert.ok(compareVersions('1.0.0-beta.10', '1.0.0-beta.7') > 0);
    assert.equal(compareVersions('v1.2.3', '1.2.3'), 0);
  });

  it('reads releases and keeps only the nats chart (not nats-kafka, not traefik)', () => {
    const all = parseReleaseList(fixture('list.json'));
    assert.equal(all.length, 4);
    const nats = natsReleases(all);
    assert.deepEqual(nats, [
      {
        name: 'edge',
        namespace: 'iot',
        revision: 1,
        status: 'failed',
        chart: 'nats-0.19.17',
        chartName: 'nats',
        chartVersion: '0.19.17',
        appVersion: '2.9.20',
        updated: '2026-05-02 08:30:00.5 +0000 UTC',
      },
      {
        name: 'nats',
        namespace: 'nats',
        revision: 3,
        status: 'deployed',
        chart: 'nats-2.14.2',
        chartName: 'nats',
        chartVersion: '2.14.2',
        appVersion: '2.14.2',
        updated: '2026-06-12 10:00:00.123456789 +0000 UTC',
      },
    ]);
    assert.deepEqual(parseReleaseList('[]'), []);
  });

  it('splits the chart field at the dash before the version', () => {
    assert.deepEqual(splitChartField('nats-kafka-0.15.4'), { name: 'nats-kafka', version: '0.15.4' });
    assert.deepEqual(splitChartField('nats-1.0.0-rc.1'), { name: 'nats', version: '1.0.0-rc.1' });
    assert.deepEqual(splitChartField('traefik-27.0.201+up27.0.2'), { name: 'traefik', version: '27.0.201+up27.0.2' });
    assert.deepEqual(splitChartField('odd'), { name: 'odd', version: '' });
  });

  it('reads user-supplied values; null means none', () => {
    assert.equal((parseReleaseValues(fixture('get-values.json')).natsBox as { enabled: boolean }).enabled, true);
    assert.deepEqual(parseReleaseValues('null\n'), {});
    assert.throws(() => parseReleaseValues('[1]'), HelmOutputError);
  });

  it('says plainly when the output is not JSON', () => {
    assert.throws(
      () => parseReleaseList('NAME NAMESPACE REVISION'),
      (e: Error) => e instanceof HelmOutputError && /not JSON .*helm 3/.test(e.message),
    );
    assert.throws(() => parseRepoList('{"a":1}'), /not a JSON list/);
  });
});
