import * as assert from 'node:assert/strict';
import { diffValues, parseValuesText, ValuesFileError } from '../../../../src/core/helm/valuesDiff';

describe('what an upgrade changes: helm get values against the values file', () => {
  it('names added, removed and changed keys by dotted path, sorted', () => {
    const current = {
      config: { cluster: { enabled: true, replicas: 3 }, jetstream: { enabled: true } },
      natsBox: { enabled: true },
    };
    const desired = parseValuesText(
      'config:\n  cluster:\n    enabled: true\n    replicas: 5\n  jetstream:\n    enabled: true\n    memoryStore:\n      enabled: true\n',
    );
    assert.deepEqual(diffValues(current, desired), [
      { path: 'config.cluster.replicas', kind: 'changed', before: 3, after: 5 },
      { path: 'config.jetstream.memoryStore', kind: 'added', after: { enabled: true } },
      { path: 'natsBox', kind: 'removed', before: { enabled: true } },
    ]);
  });

  it('compares lists whole, as helm replaces them', () => {
    const current = { global: { image: { pullSecretNames: ['a', 'b'] } } };
    assert.deepEqual(diffValues(current, { global: { image: { pullSecretNames: ['a', 'b'] } } }), []);
    assert.deepEqual(diffValues(current, { global: { image: { pullSecretNames: ['b'] } } }), [
      { path: 'global.image.pullSecretNames', kind: 'changed', before: ['a', 'b'], after: ['b'] },
    ]);
  });

  it('brackets keys that hold dots or slashes, and sees a map turned into a scalar', () => {
    const current = {
      podTemplate: { merge: { metadata: { annotations: { 'example.com/team': 'core' } } } },
      config: { merge: { debug: true } },
    };
    const desired = {
      podTemplate: { merge: { metadata: { annotations: { 'example.com/team': 'edge' } } } },
      config: { merge: null },
    };
    assert.deepEqual(diffValues(current, desired), [
      { path: 'config.merge', kind: 'changed', before: { debug: true }, after: null },
      {
        path: 'podTemplate.merge.metadata.annotations["example.com/team"]',
        kind: 'changed',
        before: 'core',
        after: 'edge',
      },
    ]);
  });

  it('an unchanged release has no changes; an empty file is {}', () => {
    assert.deepEqual(diffValues({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } }), []);
    assert.deepEqual(parseValuesText(''), {});
    assert.deepEqual(parseValuesText('# only a comment\n'), {});
  });

  it('refuses a file that is not YAML or not a mapping, in one sentence', () => {
    assert.throws(
      () => parseValuesText('config: [\n'),
      (e: Error) => e instanceof ValuesFileError && /^The values file is not valid YAML/.test(e.message),
    );
    assert.throws(() => parseValuesText('- a\n- b\n'), /mapping of keys/);
  });
});
