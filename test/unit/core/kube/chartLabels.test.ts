import * as assert from 'node:assert/strict';
import {
  chartFullname,
  podSelectors,
  releasePvcPurpose,
  releaseSelectors,
} from '../../../../src/core/kube/chartLabels';

describe('the chart labels and claim names, both layouts', () => {
  it('computes the fullname like the chart', () => {
    assert.equal(chartFullname('nats'), 'nats');
    assert.equal(chartFullname('my-nats'), 'my-nats');
    assert.equal(chartFullname('foo'), 'foo-nats');
  });

  it('selects server pods: 1.x/2.x by component, 0.x by name without a component label', () => {
    assert.deepEqual(podSelectors('nats', 'nats'), [
      { layout: '1.x/2.x', selector: 'app.kubernetes.io/instance=nats,app.kubernetes.io/component=nats' },
      {
        layout: '0.x',
        selector: 'app.kubernetes.io/instance=nats,app.kubernetes.io/name=nats,!app.kubernetes.io/component',
      },
    ]);
  });

  it('finds every release by its server pods, in both layouts, and never by its nats-box pods', () => {
    assert.deepEqual(releaseSelectors(), [
      { layout: '1.x/2.x', selector: 'app.kubernetes.io/name=nats,app.kubernetes.io/component=nats' },
      {
        layout: '0.x',
        selector: 'app.kubernetes.io/name=nats,!app.kubernetes.io/component,app.kubernetes.io/instance',
      },
    ]);
  });

  it('selects nats-box pods: 1.x/2.x by component, 0.x by app=<fullname>-box', () => {
    assert.deepEqual(podSelectors('edge', 'nats-box'), [
      { layout: '1.x/2.x', selector: 'app.kubernetes.io/instance=edge,app.kubernetes.io/component=nats-box' },
      { layout: '0.x', selector: 'app=edge-nats-box' },
    ]);
  });

  it('recognises the claims a release leaves behind, and nothing else', () => {
    assert.equal(releasePvcPurpose('nats', 'nats-js-nats-0'), 'jetstream');
    assert.equal(releasePvcPurpose('nats', 'nats-resolver-nats-2'), 'resolver');
    assert.equal(releasePvcPurpose('nats', 'nats-js-pvc-nats-1'), 'jetstream');
    assert.equal(releasePvcPurpose('nats', 'nats-jwt-pvc-nats-0'), 'resolver');
    assert.equal(releasePvcPurpose('foo', 'foo-nats-js-foo-nats-0'), 'jetstream');
    assert.equal(releasePvcPurpose('nats', 'nats-js-other-0'), undefined);
    assert.equal(releasePvcPurpose('nats', 'data-postgres-0'), undefined);
    assert.equal(releasePvcPurpose('my-nats', 'nats-js-nats-0'), undefined);
  });
});
