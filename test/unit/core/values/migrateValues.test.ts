import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { migrateValues } from '../../../../src/core/values/migrateValues';
import { resolveFixEdits } from '../../../../src/core/values/valuesFixes';
import { chartValuesText, fixtureText } from './fixtures';

function legacyErrors(text: string): string[] {
  return analyzeValues(text)
    .diagnostics.filter(
      (d) =>
        d.code === 'legacy-chart-key' ||
        d.code === 'unknown-key' ||
        d.code === 'wrong-type' ||
        d.code === 'yaml-syntax',
    )
    .map((d) => `${d.code} ${d.path}`);
}

describe('migrateValues', () => {
  it("migrates chart 0.19.17's own values.yaml to a file with no legacy or schema errors", () => {
    const result = migrateValues(chartValuesText('0.19.17'));
    assert.deepEqual(legacyErrors(result.text), []);
    assert.ok(result.notCarried.some((n) => n.path === 'networkPolicy'));
  });

  it('migrates a file using every mapped key and carries each value where chart 2.x reads it', () => {
    const result = migrateValues(fixtureText('legacy-every-key.yaml'));
    assert.deepEqual(legacyErrors(result.text), []);
    const v = parse(result.text) as Record<string, any>;
    assert.equal(v['config'].jetstream.enabled, true);
    assert.equal(v['config'].jetstream.memoryStore.maxSize, '512Mi');
    assert.equal(v['config'].jetstream.fileStore.pvc.size, '20Gi');
    assert.equal(v['config'].jetstream.fileStore.pvc.storageClassName, 'fast');
    assert.equal(v['config'].jetstream.fileStore.dir, '/js');
    assert.equal(v['config'].cluster.replicas, 5);
    assert.equal(v['config'].cluster.routeURLs.useFQDN, false);
    assert.equal(v['config'].merge.max_payload, '<< 8MB >>');
    assert.equal(v['config'].merge.authorization.users[0].user, 'a');
    assert.equal(v['config'].resolver.merge.type, 'full');
    assert.deepEqual(v['global'].image.pullSecretNames, ['regcred']);
    assert.deepEqual(v['container'].env, {
      GOMEMLIMIT: '3GiB',
      FOO: 'bar',
      JS_KEY: { valueFrom: { secretKeyRef: { name: 'js-key', key: 'key' } } },
    });
    assert.deepEqual(v['podTemplate'].topologySpreadConstraints, {
      zone: { maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' },
    });
    assert.equal(v['natsBox'].enabled, false);
    assert.equal(v['natsBox'].contexts.default.creds.secretName, 'sys-creds');
    assert.equal(v['promExporter'].podMonitor.enabled, true);
    assert.equal(v['serviceAccount'].enabled, false);
    assert.equal(v['reloader'].merge.resources.limits.cpu, '50m');
    assert.equal(v['podDisruptionBudget'].merge.spec.maxUnavailable, 2);
  });

  it('keeps the 0.x defaults that flipped: memory store and exporter on, FQDN routes, advertised cluster', () => {
    const result = migrateValues('nats:\n  jetstream:\n    enabled: true\ncluster:\n  enabled: true\n');
    const v = parse(result.text) as Record<string, any>;
    assert.equal(v['config'].jetstream.memoryStore.enabled, true);
    assert.equal(v['promExporter'].enabled, true);
    assert.equal(v['config'].cluster.routeURLs.useFQDN, true);
    assert.equal(v['config'].cluster.noAdvertise, false);
    assert.ok(result.keptDefaults.includes('promExporter.enabled: true'));
  });

  it('keeps comments and the order and text of untouched keys', () => {
    const text =
      '# my release\nnameOverride: x   # keep me\n# why JetStream\nnats:\n  jetstream:\n    # turn it on\n    enabled: true\nextraResources: []\n';
    const out = migrateValues(text).text;
    assert.ok(out.startsWith('# my release\nnameOverride: x   # keep me\n'), out);
    assert.match(out, /# turn it on\n\s+enabled: true/);
    assert.ok(out.indexOf('config:') < out.indexOf('extraResources: []'));
  });

  it('merges into 2.x keys already in the file without duplicating them', () => {
    const out = migrateValues('config:\n  cluster:\n    enabled: true\nnats:\n  jetstream:\n    enabled: true\n').text;
    assert.deepEqual(legacyErrors(out), []);
    assert.equal((out.match(/^config:/gm) ?? []).length, 1);
  });

  it("a legacy diagnostic's fix migrates just that key", () => {
    const text = 'nats:\n  jetstream:\n    enabled: true\n  serverNamePrefix: a-\n';
    const d = analyzeValues(text).diagnostics.find((x) => x.path === 'nats.jetstream.enabled');
    assert.ok(d?.fix);
    const [edit] = resolveFixEdits(text, d.fix);
    assert.ok(edit);
    const fixed = text.slice(0, edit.range.startOffset) + edit.newText + text.slice(edit.range.endOffset);
    const left = analyzeValues(fixed)
      .diagnostics.filter((x) => x.code === 'legacy-chart-key')
      .map((x) => x.path);
    assert.deepEqual(left, ['nats.serverNamePrefix']);
    assert.equal((parse(fixed) as any).config.jetstream.enabled, true);
  });
});
