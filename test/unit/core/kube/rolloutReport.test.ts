import * as assert from 'node:assert/strict';
import type { ChartPod } from '../../../../src/core/kube/podStatus';
import { firstNotReady, rolloutReport } from '../../../../src/core/kube/rolloutReport';

const pod = (
  name: string,
  ready: boolean,
  component: ChartPod['component'] = 'nats',
  notReadyReason?: string,
): ChartPod => ({
  name,
  namespace: 'nats',
  layout: '1.x/2.x',
  component,
  phase: 'Running',
  ready,
  readyContainers: ready ? 1 : 0,
  totalContainers: 1,
  restarts: 0,
  ...(notReadyReason ? { notReadyReason } : {}),
});

describe('the rollout report after an install', () => {
  it('all ready', () => {
    const r = rolloutReport(
      'nats',
      'nats',
      { pods: [pod('nats-0', true), pod('nats-1', true)] },
      { pods: [pod('nats-box-1', true, 'nats-box')] },
    );
    assert.deepEqual(r, {
      ready: true,
      sentence: 'Release nats in namespace nats: 2 of 2 NATS pods ready, nats-box ready.',
    });
  });

  it('names the first pod that is not ready and its reason', () => {
    const r = rolloutReport(
      'nats',
      'nats',
      { pods: [pod('nats-0', true), pod('nats-1', false, 'nats', 'CrashLoopBackOff (container nats): back-off')] },
      { pods: [] },
    );
    assert.equal(r.ready, false);
    assert.equal(
      r.sentence,
      'Release nats in namespace nats: 1 of 2 NATS pods ready; nats-1 is not ready: CrashLoopBackOff (container nats): back-off.',
    );
  });

  it('a reason that ends with a period gets no second one', () => {
    const r = rolloutReport(
      'nats',
      'nats',
      { pods: [pod('nats-0', false, 'nats', '0/1 nodes are available: 1 Insufficient cpu.')] },
      { pods: [] },
    );
    assert.equal(
      r.sentence,
      'Release nats in namespace nats: 0 of 1 NATS pod ready; nats-0 is not ready: 0/1 nodes are available: 1 Insufficient cpu.',
    );
  });

  it('no server pods at all', () => {
    assert.match(
      rolloutReport('x', 'y', { pods: [] }, { pods: [] }).sentence,
      /^Release x in namespace y has no NATS server pods/,
    );
  });

  it('firstNotReady across groups', () => {
    assert.equal(
      firstNotReady({ pods: [pod('a', true)] }, { pods: [pod('box', false, 'nats-box', 'Pending: waiting')] }),
      'box: Pending: waiting',
    );
    assert.equal(firstNotReady({ pods: [pod('a', true)] }), undefined);
  });
});
