import * as assert from 'node:assert/strict';
import { completeValues } from '../../../../src/core/values/valuesCompletion';
import { hoverValues } from '../../../../src/core/values/valuesHover';
import { detectValuesFile, matchesValuesGlobs } from '../../../../src/core/values/detectValues';
import { chartValuesText } from './fixtures';

describe('completion, hover and detection', () => {
  it('completes keys at depth, without those already present, with the default as insert text', () => {
    const text = 'config:\n  jetstream:\n    enabled: true\n    ';
    const c = completeValues(text, text.length);
    const labels = c.items.map((i) => i.label);
    assert.deepEqual(labels, ['fileStore', 'memoryStore', 'merge', 'patch']);
    const text2 = 'config:\n  cluster:\n    rep';
    const rep = completeValues(text2, text2.length).items.find((i) => i.label === 'replicas');
    assert.equal(rep?.insertText, 'replicas: 3');
    assert.equal(completeValues(text2, text2.length).replaceRange.startOffset, text2.length - 3);
  });

  it('completes enum and boolean values', () => {
    const text = 'config:\n  websocket:\n    ingress:\n      pathType: ';
    assert.deepEqual(
      completeValues(text, text.length).items.map((i) => i.label),
      ['Exact', 'Prefix', 'ImplementationSpecific'],
    );
    const b = 'natsBox:\n  enabled: ';
    assert.deepEqual(
      completeValues(b, b.length).items.map((i) => i.label),
      ['true', 'false'],
    );
  });

  it('hovers show description, type and default; legacy keys say what they become', () => {
    const text = chartValuesText('2.14.2');
    const h = hoverValues(text, text.indexOf('memoryStore:') + 2);
    assert.equal(h?.path, 'config.jetstream.memoryStore');
    const e = hoverValues('config:\n  jetstream:\n    enabled: true\n', 26);
    assert.equal(e?.type, 'boolean');
    assert.equal(e?.defaultText, 'false');
    assert.match(e?.markdown ?? '', /jetstream/);
    const legacy = hoverValues('nats:\n  jetstream:\n    enabled: true\n', 24);
    assert.match(legacy?.description ?? '', /config\.jetstream\.enabled/);
  });

  it('detects NATS values by name, modeline or content, and leaves other charts alone', () => {
    assert.equal(matchesValuesGlobs('/x/deploy/nats-values.yaml'), true);
    assert.equal(detectValuesFile('/x/values.yaml', chartValuesText('2.14.2')).reason, 'content');
    assert.equal(detectValuesFile('/x/values.yaml', chartValuesText('0.19.17')).contentLayout, '0.x');
    assert.equal(detectValuesFile('/x/values.yaml', '# nats-chart-version: 2.14.2\nfoo: 1\n').reason, 'modeline');
    assert.equal(
      detectValuesFile(
        '/x/values.yaml',
        'replicaCount: 1\nimage:\n  repository: nginx\nservice:\n  type: ClusterIP\nconfig:\n  foo: 1\n',
      ).isNatsValues,
      false,
    );
  });
});
