import * as assert from 'node:assert/strict';
import { parse, parseDocument } from 'yaml';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { migrateValues } from '../../../../src/core/values/migrateValues';
import { resolveFixEdits } from '../../../../src/core/values/valuesFixes';

/** The migrated text read as Helm reads it; fails on any YAML error in it. */
function helmReads(text: string): Record<string, any> {
  const doc = parseDocument(text.replace(/\r\n?/g, '\n'), { version: '1.1', merge: true });
  assert.deepEqual(
    doc.errors.map((e) => e.message),
    [],
    text,
  );
  return doc.toJS() as Record<string, any>;
}

describe('migrateValues on files Helm would read differently', () => {
  it('refuses a file with YAML errors, with the diagnostics lint gives, and changes nothing', () => {
    // The unclosed quote swallows `cluster` and `auth` into a string; migrating that dropped both settings.
    const text = 'nats:\n  image: "nats:2.9\ncluster:\n  enabled: true\nauth:\n  enabled: true\n';
    const result = migrateValues(text);
    const lintErrors = analyzeValues(text).diagnostics.filter(
      (d) => d.severity === 'error' && d.code === 'yaml-syntax',
    );
    assert.ok(lintErrors.length > 0);
    assert.deepEqual(result.errors, lintErrors);
    assert.equal(result.text, text);
    assert.deepEqual([result.notCarried, result.keptDefaults], [[], []]);
  });

  it('refuses tab indentation, several documents, binary text and files over the size limit', () => {
    const cases: [string, string][] = [
      ['nats:\n  serverNamePrefix: a\n\tb\n', 'tab-indentation'],
      ['nats:\n  jetstream:\n    enabled: true\n---\ncluster:\n  enabled: true\n', 'multiple-documents'],
      // What Node's 'utf8' decoding makes of a Latin-1 `é`.
      ['nats:\n  serverNamePrefix: caf\uFFFD\n', 'binary-content'],
      [`nats:\n  jetstream:\n    enabled: true\n${'# padding\n'.repeat(2_000_000)}`, 'file-too-large'],
    ];
    for (const [text, code] of cases) {
      const started = performance.now();
      const result = migrateValues(text);
      assert.ok(performance.now() - started < 1000, `${code}: ${(performance.now() - started).toFixed(0)} ms`);
      assert.equal(result.errors[0]?.code, code, JSON.stringify(result.errors.map((e) => e.message)));
      assert.equal(result.text, text);
    }
  });

  it('keeps lone CR line breaks and every setting behind them', () => {
    const lf = 'nats:\n  jetstream:\n    enabled: true\ncluster:\n  enabled: true\n  replicas: 3\n';
    const result = migrateValues(lf.replace(/\n/g, '\r'));
    assert.deepEqual(result.errors, []);
    assert.ok(!result.text.includes('\n'), JSON.stringify(result.text));
    assert.equal(result.text, migrateValues(lf).text.replace(/\n/g, '\r'));
    const v = helmReads(result.text);
    assert.deepEqual(
      [v['config'].jetstream.enabled, v['config'].cluster.enabled, v['config'].cluster.replicas],
      [true, true, 3],
    );
  });

  it('keeps CRLF line breaks', () => {
    const result = migrateValues('nats:\r\n  jetstream:\r\n    enabled: true\r\n');
    assert.ok(!/[^\r]\n/.test(result.text), JSON.stringify(result.text));
    assert.equal(helmReads(result.text)['config'].jetstream.enabled, true);
  });

  it('an alias whose anchor was on a moved 0.x key gets the value, so Helm finds no unknown anchor', () => {
    const text =
      'nats:\n  jetstream:\n    memStorage:\n      size: &sz 2Gi\nconfig:\n  merge:\n    a: *sz\n    b: [*sz]\n';
    const v = helmReads(migrateValues(text).text);
    assert.equal(v['config'].jetstream.memoryStore.maxSize, '2Gi');
    assert.equal(v['config'].merge.a, '2Gi');
    assert.deepEqual(v['config'].merge.b, ['2Gi']);
  });

  it('a moved value made of aliases and merges is written as the data Helm reads', () => {
    const text =
      'defaults: &d\n  cpu: 1\n  memory: 1Gi\nnats:\n  resources:\n    <<: *d\n    cpu: 2\nnatsbox:\n  affinity: *d\n';
    const v = helmReads(migrateValues(text).text);
    assert.deepEqual(v['container'].resources, { cpu: 2, memory: '1Gi' });
    assert.deepEqual(v['natsBox'].podTemplate.merge.spec.affinity, { cpu: 1, memory: '1Gi' });
  });

  it('a removed block that ends in a nested block leaves the next key and its comments alone', () => {
    // The yaml library's range of `exporter` ran over `# Authentication setup`, which `auth`'s span starts at: the
    // two removals overlapped and cut `podTemplate:` out of the file (found by the fuzz test, seed 3724842648).
    const text =
      'exporter:\n  serviceMonitor:\n    enabled: true\n    # interval:\n\n# Authentication setup\nauth:\n  enabled: false\n\n# kept\npodTemplate:\n  # a comment\n  configChecksumAnnotation: false\n';
    const out = migrateValues(text).text;
    assert.match(out, /\n# kept\npodTemplate:\n {2}# a comment\n {2}configChecksumAnnotation: false\n$/);
    assert.equal(helmReads(out)['podTemplate'].configChecksumAnnotation, false);
  });

  it('a moved block copies its own lines only, not the key after it', () => {
    // The yaml library's range of `serverTags` ends after the indentation of `profiling:`, so the copied block took
    // `profiling:` along (found by the fuzz test, seed 1013904257).
    const text = 'nats:\n  serverTags:\n    zone: a\n    rack:\n\n# comment\n  profiling:\n    enabled: true\n';
    const out = migrateValues(text).text;
    assert.match(out, /\n {2}merge:\n {4}server_tags:\n {6}zone: a\n {6}rack:\n/);
    assert.doesNotMatch(out, /rack:\n\s*\n\s*# comment\n\s*profiling:/);
    assert.deepEqual(helmReads(out)['config'].merge.server_tags, { zone: 'a', rack: null });
  });

  it('a 0.x value of another shape than chart 0.x reads is reported, not reshaped into a crash', () => {
    // `value.map is not a function` reached the user (found by the fuzz test, seed 4898).
    const text =
      'imagePullSecrets: regcred\nnats:\n  extraEnv: {A: b}\n  jetstream:\n    encryption:\n      secret: plain\ntopologySpreadConstraints: [null, 3]\nadditionalVolumes: 7\n';
    const result = migrateValues(text);
    assert.deepEqual(result.notCarried.map((n) => n.path).sort(), [
      'additionalVolumes',
      'imagePullSecrets',
      'nats.extraEnv',
      'nats.jetstream.encryption.secret',
    ]);
    assert.match(
      result.notCarried.find((n) => n.path === 'imagePullSecrets')!.reason,
      /^chart 0\.x reads a list here, so it is not reshaped for chart 1\.x\/2\.x; move it by hand$/,
    );
    assert.deepEqual(helmReads(result.text)['podTemplate'].topologySpreadConstraints, {});
  });

  it('a 2.x key already in the file without a value gets the 0.x value, not a second key of its name', () => {
    // Found by the fuzz test (seed 113005322): the chart's 2.x values.yaml has `pullPolicy:` empty, and a 0.x
    // `nats.image.pullPolicy` added a second `pullPolicy` below it.
    const text =
      'container:\n  image:\n    # the policy\n    pullPolicy:   # from the chart\n    tag: x\nnats:\n  image:\n    pullPolicy: IfNotPresent\n';
    const out = migrateValues(text).text;
    assert.ok(
      out.startsWith(
        'container:\n  image:\n    # the policy\n    pullPolicy: IfNotPresent   # from the chart\n    tag: x\n',
      ),
      out,
    );
    assert.deepEqual(
      analyzeValues(out).diagnostics.filter((d) => d.code === 'duplicate-key'),
      [],
    );
  });

  it('a string YAML 1.1 would read as a boolean or a number stays a string, as key and as value', () => {
    // `serverNamePrefix: "yes"` became `serverNamePrefix: yes`, which Helm reads as true (found by the property test).
    const text =
      'nats:\n  serverNamePrefix: "yes"\n  tls:\n    timeout: "1:20"\ncommonLabels: {"y": "on", "010": "0b1"}\n';
    const v = helmReads(migrateValues(text).text);
    assert.deepEqual(
      [v['config'].serverNamePrefix, v['config'].nats.tls.merge.timeout, v['global'].labels],
      ['yes', '1:20', { y: 'on', '010': '0b1' }],
    );
  });

  it('resolver settings chart 0.x ignored (no resolver type) are reported, unless they are its defaults', () => {
    const text = 'auth:\n  enabled: true\n  resolver:\n    type: none\n    allowDelete: true\n    interval: 2m\n';
    assert.deepEqual(migrateValues(text).notCarried, [
      {
        path: 'auth.resolver.allowDelete',
        reason: '`auth.resolver.type` was not `full`, `memory` or `URL`, so chart 0.x ignored the resolver',
      },
    ]);
  });

  it('a quick fix on a file with YAML errors offers no edit', () => {
    const text = 'nats:\n  jetstream:\n    enabled: true\n  image: "x\n';
    assert.deepEqual(resolveFixEdits(text, { title: 'migrate', migratePath: ['nats', 'jetstream', 'enabled'] }), []);
  });

  it('the migrated text of a 0.x file without errors has none either', () => {
    const text = 'cluster:\n  enabled: true\nnats:\n  jetstream:\n    enabled: true\n';
    assert.deepEqual(parse(migrateValues(text).text).config.cluster.enabled, true);
  });
});
