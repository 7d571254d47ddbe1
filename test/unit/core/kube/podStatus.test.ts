import * as assert from 'node:assert/strict';
import { summarizePod, type PodLike } from '../../../../src/core/kube/podStatus';

const containers = [
  {
    name: 'nats',
    ports: [
      { name: 'nats', containerPort: 4222 },
      { name: 'monitor', containerPort: 8222 },
    ],
  },
  { name: 'reloader' },
];
const running = { running: {} };

function pod(status: PodLike['status'], extra: Partial<PodLike['metadata']> = {}): PodLike {
  return { metadata: { name: 'nats-0', namespace: 'nats', ...extra }, spec: { nodeName: 'k3s-1', containers }, status };
}

describe('pod readiness and the not-ready reason', () => {
  it('a ready pod: 2/2, no reason, client port from the nats container', () => {
    const p = summarizePod(
      pod({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'nats', ready: true, restartCount: 1, state: running },
          { name: 'reloader', ready: true, restartCount: 2, state: running },
        ],
      }),
      '1.x/2.x',
      'nats',
    );
    assert.deepEqual(p, {
      name: 'nats-0',
      namespace: 'nats',
      layout: '1.x/2.x',
      component: 'nats',
      phase: 'Running',
      ready: true,
      readyContainers: 2,
      totalContainers: 2,
      restarts: 3,
      nodeName: 'k3s-1',
      clientPort: 4222,
    });
  });

  it('CrashLoopBackOff names the container and the message', () => {
    const p = summarizePod(
      pod({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        containerStatuses: [
          {
            name: 'nats',
            ready: false,
            restartCount: 5,
            state: {
              waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=nats' },
            },
          },
          { name: 'reloader', ready: true, state: running },
        ],
      }),
      '1.x/2.x',
      'nats',
    );
    assert.equal(p.ready, false);
    assert.equal(p.readyContainers, 1);
    assert.equal(p.notReadyReason, 'CrashLoopBackOff (container nats): back-off 5m0s restarting failed container=nats');
  });

  it('image pull errors, unschedulable pods, failing readiness probes, terminating pods', () => {
    const reason = (status: PodLike['status'], meta = {}) =>
      summarizePod(pod(status, meta), '1.x/2.x', 'nats').notReadyReason;
    assert.equal(
      reason({
        phase: 'Pending',
        containerStatuses: [
          {
            name: 'nats',
            ready: false,
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "nats:9.9.9-alpine"' } },
          },
        ],
      }),
      'ImagePullBackOff (container nats): Back-off pulling image "nats:9.9.9-alpine"',
    );
    assert.equal(
      reason({
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/1 nodes are available: 1 Insufficient memory.',
          },
        ],
      }),
      'Unschedulable: 0/1 nodes are available: 1 Insufficient memory.',
    );
    assert.equal(
      reason({
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'False' }],
        containerStatuses: [
          { name: 'nats', ready: false, state: running },
          { name: 'reloader', ready: true, state: running },
        ],
      }),
      'Running but not ready (container nats): the readiness probe is failing',
    );
    assert.equal(
      reason(
        { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
        { deletionTimestamp: '2026-06-12T10:00:00Z' },
      ),
      'Terminating: the pod is being deleted',
    );
    assert.equal(
      reason({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: ephemeral-storage.' }),
      'Evicted: The node was low on resource: ephemeral-storage.',
    );
    assert.equal(
      reason({
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'bootconfig', ready: false, state: { terminated: { reason: 'Error', exitCode: 1 } } },
        ],
      }),
      'Error (init container bootconfig, exit code 1)',
    );
    assert.equal(reason({ phase: 'Pending' }), 'Pending: waiting to be scheduled or started');
  });

  it('0.x names the client port "client"; nats-box pods have none', () => {
    const old: PodLike = {
      metadata: { name: 'nats-0', namespace: 'n' },
      spec: { containers: [{ name: 'nats', ports: [{ name: 'client', containerPort: 4333 }] }] },
      status: { phase: 'Running' },
    };
    assert.equal(summarizePod(old, '0.x', 'nats').clientPort, 4333);
    assert.equal(summarizePod(old, '0.x', 'nats-box').clientPort, undefined);
  });
});
