import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { legacyMessage } from '../../../../src/core/values/legacyKeys';
import { migrateValues } from '../../../../src/core/values/migrateValues';
import { hoverValues } from '../../../../src/core/values/valuesHover';
import { repoRoot } from './fixtures';

const SEED = `# values for the demo

nats:
  jetstream:
    enabled: true

    # memory for hot streams
    memStorage:
      enabled: true
      size: 1Gi
cluster:
  enabled: true
  replicas: 3

# the box stays on
natsbox:
  enabled: true
`;

describe('migration you can trust: what it lists, what it keeps', () => {
  it('lists every key it writes with the reason, the five flipped 0.x defaults by name', () => {
    const result = migrateValues(SEED);
    const byPath = new Map(result.changes.map((c) => [c.path, c]));
    for (const path of [
      'promExporter.enabled',
      'serviceAccount.enabled',
      'config.cluster.routeURLs.useFQDN',
      'config.cluster.noAdvertise',
      'podTemplate.configChecksumAnnotation',
    ]) {
      const change = byPath.get(path);
      assert.ok(change, `${path} missing from ${[...byPath.keys()].join(', ')}`);
      assert.equal(change.from, undefined);
      assert.equal(change.kind, 'added');
      assert.match(change.reason, /chart 0\.x defaulted to .+, chart 2\.x (defaults to|sets none)/);
    }
    assert.match(byPath.get('promExporter.enabled')?.reason ?? '', /Prometheus exporter/);
    const moved = byPath.get('config.jetstream.memoryStore.maxSize');
    assert.equal(moved?.from, 'nats.jetstream.memStorage.size');
    assert.match(moved?.reason ?? '', /^from `nats\.jetstream\.memStorage\.size`/);
    // Every key written to the file is listed: nothing is added silently.
    assert.deepEqual([...byPath.keys()].sort(), [
      'config.cluster.enabled',
      'config.cluster.noAdvertise',
      'config.cluster.replicas',
      'config.cluster.routeURLs.useFQDN',
      'config.jetstream.enabled',
      'config.jetstream.memoryStore.enabled',
      'config.jetstream.memoryStore.maxSize',
      'natsBox.enabled',
      'podTemplate.configChecksumAnnotation',
      'promExporter.enabled',
      'serviceAccount.enabled',
    ]);
  });

  it('keeps the blank lines that set blocks apart, with their comments', () => {
    const { text } = migrateValues(SEED);
    assert.match(text, /^# values for the demo\n\n/);
    assert.ok(
      text.includes('  jetstream:\n    enabled: true\n\n    # memory for hot streams\n    memoryStore:\n'),
      text,
    );
    assert.ok(text.endsWith('\n\n# the box stays on\nnatsBox:\n  enabled: true\n'), text);
    assert.deepEqual(
      analyzeValues(text).diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
    // A second run changes nothing, blank lines included.
    assert.equal(migrateValues(text).text, text);
  });

  it('a file that sets its top-level blocks apart with blank lines gets its new blocks set apart too', () => {
    const seed = readFileSync(join(repoRoot, 'test', 'fixtures', 'values', 'seed-0.x.yaml'), 'utf8');
    const result = migrateValues(seed);
    const lines = result.text.split('\n');
    const topKeys = lines.flatMap((l, i) => (/^\w+:/.test(l) ? [i] : []));
    assert.deepEqual(
      topKeys.map((i) => lines[i]),
      ['config:', 'promExporter:', 'podTemplate:', 'serviceAccount:', 'natsBox:'],
    );
    for (const i of topKeys.slice(1)) assert.equal(lines[i - 1], '', `no blank line above ${lines[i]}`);
    // A key written only because the moved one needs it is listed as added, with the key that needed it.
    const pvc = result.changes.find((c) => c.path === 'config.jetstream.fileStore.pvc.enabled');
    assert.equal(pvc?.kind, 'added');
    assert.match(pvc?.reason ?? '', /^written with `config\.jetstream\.fileStore\.enabled`/);
    assert.equal(migrateValues(result.text).text, result.text);
  });

  it('a migration of one key keeps the blank line above it too', () => {
    const { text } = migrateValues(SEED, ['nats', 'jetstream', 'memStorage', 'size']);
    assert.match(text, /\n\n# the box stays on\nnatsbox:/);
  });
});

describe('hover on 0.x keys: one text, consistent with the diagnostic', () => {
  const hoverAt = (needle: string) => hoverValues(SEED, SEED.indexOf(needle) + 1);

  it('a 0.x key whose keys move says where, never "no equivalent"', () => {
    const block = hoverAt('memStorage:');
    assert.ok(block);
    assert.doesNotMatch(block.markdown, /no equivalent/);
    assert.match(block.markdown, /config\.jetstream\.memoryStore/);
    const message = legacyMessage(['nats', 'jetstream', 'memStorage']);
    assert.doesNotMatch(message, /no equivalent/);
    assert.match(message, /config\.jetstream\.memoryStore/);
  });

  it('a leaf hover names the diagnostic’s target and does not repeat the diagnostic', () => {
    const line = SEED.split('\n').findIndex((l) => l.includes('size: 1Gi'));
    const diagnostic = analyzeValues(SEED).diagnostics.find(
      (d) => d.code === 'legacy-chart-key' && d.range.start.line === line,
    );
    assert.ok(diagnostic);
    const hover = hoverAt('size: 1Gi');
    assert.ok(hover);
    assert.match(diagnostic.message, /becomes `config\.jetstream\.memoryStore\.maxSize`/);
    assert.match(hover.markdown, /`config\.jetstream\.memoryStore\.maxSize`/);
    // The editor shows the diagnostic in the same hover: none of its sentences may appear a second time.
    for (const sentence of diagnostic.message.split(/(?<=\.) /))
      assert.ok(!hover.markdown.includes(sentence), `repeated: ${sentence}`);
  });
});
