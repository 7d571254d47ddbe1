import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { detectLookAlike } from '../../../../src/core/values/lookAlikeCharts';
import { fixtureText, repoRoot } from './fixtures';

const BITNAMI = ['values-9.0.29.yaml', 'values-6.3.11.yaml', 'ci-values-with-ingress-and-metrics.yaml'];
const sharedValues = join(repoRoot, '..', 'shared', 'charts', 'values-by-version');

describe('look-alike charts: Bitnami’s `nats` chart and the NATS operator’s', () => {
  for (const name of BITNAMI) {
    it(`Bitnami's ${name} gets one information line and no error`, () => {
      const a = analyzeValues(fixtureText(`bitnami/${name}`));
      assert.deepEqual(
        a.diagnostics.map((d) => `${d.severity}:${d.code}`),
        ['information:other-chart'],
      );
      assert.match(a.diagnostics[0]?.message ?? '', /Bitnami's `nats` chart .*nats-k3s does not check them\./);
    });
  }

  it("the NATS operator's chart values get one information line naming it and no error", () => {
    const a = analyzeValues(fixtureText('nats-operator/values-0.7.4.yaml'));
    assert.deepEqual(
      a.diagnostics.map((d) => `${d.severity}:${d.code}`),
      ['information:other-chart'],
    );
    assert.match(
      a.diagnostics[0]?.message ?? '',
      /the NATS operator's chart \(`nats-operator`.*\(`rbacEnabled`, `clusterScoped`, /,
    );
    // A hand-written one: the cluster size and the reloader.
    assert.equal(analyzeValues('clusterSize: 5\nconfigReload:\n  enabled: true\n').diagnostics[0]?.code, 'other-chart');
  });

  it('a small hand-written Bitnami file (auth and a top-level jetstream) is recognised too', () => {
    const a = analyzeValues('auth:\n  enabled: false\njetstream:\n  enabled: true\n');
    assert.deepEqual(
      a.diagnostics.map((d) => d.code),
      ['other-chart'],
    );
    assert.match(a.diagnostics[0]?.message ?? '', /\(`jetstream`\)/);
  });

  it('neither fires on the values.yaml of any published nats-io chart version (102 of them, 0.x to 2.x)', function () {
    this.timeout(30_000); // 102 files of 20-30 KB parsed
    const names = readdirSync(sharedValues).filter((n) => n.endsWith('.yaml'));
    assert.ok(names.length >= 100);
    for (const name of names) {
      const doc = parseDocument(readFileSync(join(sharedValues, name), 'utf8'));
      assert.equal(detectLookAlike(doc.contents), undefined, name);
      assert.equal(detectLookAlike((doc.contents as any)?.get?.('nats', true), 'nats'), undefined, name);
    }
  });

  it('never fires on nats-io values files with a stray Bitnami-looking key, nor on an umbrella of chart 0.x', () => {
    for (const text of [
      'config:\n  jetstream:\n    enabled: true\nreplicaCount: 3\npersistence: {}\n',
      'nats:\n  jetstream:\n    enabled: true\n  image: nats:2.9\n',
      'natsBox:\n  enabled: false\nimage: nats\nmetrics: {}\n',
      fixtureText('seed-0.x.yaml'),
      fixtureText('legacy-every-key.yaml'),
    ])
      assert.ok(!analyzeValues(text).diagnostics.some((d) => d.code === 'other-chart'), text);
  });

  it('a helmfile or umbrella that installs it from Bitnami’s repository says so, whatever the keys', () => {
    const a = analyzeValues('nats:\n  config: {}\n', {
      filePath: '/u/values.yaml',
      pinFiles: [
        {
          path: '/u/Chart.yaml',
          text: 'dependencies:\n  - name: nats\n    version: 9.0.29\n    repository: oci://registry-1.docker.io/bitnamicharts\n',
        },
      ],
    });
    assert.deepEqual(
      a.diagnostics.map((d) => d.code),
      ['other-chart'],
    );
    assert.match(a.diagnostics[0]?.message ?? '', /Chart\.yaml installs it from Bitnami's repository/);
  });

  it('an umbrella with Bitnami’s chart under `nats:` is recognised, though `jetstream` and `image` are 0.x keys there too', () => {
    const umbrella =
      'postInstall:\n  enabled: true\nnats:\n  replicaCount: 1\n  podManagementPolicy: Parallel\n  auth:\n    enabled: false\n    user: nats\n  cluster:\n    connectRetries: ""\n  jetstream:\n    enabled: true\n    maxMemory: 128M\n  image:\n    registry: docker.io\n  persistence:\n    enabled: true\n';
    const a = analyzeValues(umbrella);
    assert.deepEqual(
      a.diagnostics.map((d) => d.code),
      ['other-chart'],
    );
    // The shared 0.x keys are not named as evidence: only what chart 0.x's `nats:` block never had.
    assert.match(a.diagnostics[0]?.message ?? '', /\(`replicaCount`, `auth\.user`, `persistence`\)/);
    assert.ok(!/`jetstream`|`image`/.test(a.diagnostics[0]?.message ?? ''));
  });

  it('a chart 0.x umbrella is not taken for Bitnami’s: shared keys alone, one marker, or a key only 0.x’s block has', () => {
    for (const nats of [
      '  image:\n    repository: nats\n    tag: 2.9.0\n  jetstream:\n    enabled: true\n    memStorage:\n      enabled: true\n',
      '  image: nats:2.9.0\n  jetstream:\n    enabled: true\n  resources: {}\n  replicaCount: 3\n',
      '  image: nats:2.9.0\n  logging:\n    debug: true\n  replicaCount: 3\n  persistence: {}\n',
      '  limits:\n    maxPayload: 8MB\n  replicaCount: 3\n  persistence: {}\n',
    ]) {
      const doc = parseDocument(`nats:\n${nats}`);
      assert.equal(detectLookAlike(doc.contents && (doc.contents as any).get('nats', true), 'nats'), undefined, nats);
    }
  });
});
