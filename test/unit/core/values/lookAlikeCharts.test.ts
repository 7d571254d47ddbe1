import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { detectLookAlike } from '../../../../src/core/values/lookAlikeCharts';
import { fixtureText, repoRoot } from './fixtures';

const BITNAMI = ['values-9.0.29.yaml', 'values-6.3.11.yaml', 'ci-values-with-ingress-and-metrics.yaml'];
const sharedValues = join(repoRoot, '..', 'shared', 'charts', 'values-by-version');

describe("Bitnami's look-alike `nats` chart", () => {
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

  it('a small hand-written Bitnami file (auth and a top-level jetstream) is recognised too', () => {
    const a = analyzeValues('auth:\n  enabled: false\njetstream:\n  enabled: true\n');
    assert.deepEqual(
      a.diagnostics.map((d) => d.code),
      ['other-chart'],
    );
    assert.match(a.diagnostics[0]?.message ?? '', /\(`jetstream`\)/);
  });

  it('never fires on the values.yaml of any published nats-io chart version (102 of them, 0.x to 2.x)', function () {
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
});
