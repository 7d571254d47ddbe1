/**
 * End to end: nats.js → the forward's local listener → client-node's PortForward → WebSocket (`v4.channel.k8s.io`)
 * → the Kubernetes API TEST DOUBLE → a real nats-server. Real: nats.js, nats-server, client-node, the WebSocket
 * protocol, TCP. Double: the API server and its pods (test/doubles/kubeApiDouble.ts).
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ClusterClient } from '../../../../src/core/kube/clusterClient';
import { KubeAccessError } from '../../../../src/core/kube/kubeErrors';
import { NatsPortForward, type PortForwardState } from '../../../../src/core/kube/portForward';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { withTimeout } from '../../../harness/processes';
import { KubeApiDouble, type DoublePod } from '../../../doubles/kubeApiDouble';

const labels = { 'app.kubernetes.io/name': 'nats', 'app.kubernetes.io/instance': 'nats', 'app.kubernetes.io/component': 'nats' };

/** Resolves with the first state that matches. */
function nextState(forward: NatsPortForward, pred: (s: PortForwardState) => boolean): Promise<PortForwardState> {
  return new Promise((resolve) => {
    const off = forward.onState((s) => {
      if (pred(s)) {
        off();
        resolve(s);
      }
    });
  });
}

async function roundTrip(nc: NatsConnection, subject: string): Promise<string> {
  const sub = nc.subscribe(subject, { max: 1 });
  nc.publish(subject, 'hi');
  for await (const m of sub) return m.string();
  throw new Error('subscription ended without a message');
}

describe('NatsPortForward: a real NATS client through the port-forward', () => {
  let server: NatsServer;
  let api: KubeApiDouble;
  let dir: string;
  let cluster: ClusterClient;
  const pod = (name: string, ready = true): DoublePod => ({ name, namespace: 'nats', labels, ready, forwardTo: { host: '127.0.0.1', port: server.port } });

  before(async () => {
    server = await startNatsServer();
    api = await KubeApiDouble.start();
    dir = mkdtempSync(join(tmpdir(), 'nk3s-pf-'));
    cluster = await ClusterClient.open({ kubeconfigPaths: [api.writeKubeconfig(dir)] });
  });
  after(async () => {
    await api?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards to the ready pod, and survives a pod restart without user action', async () => {
    api.addPod(pod('nats-0', false));
    api.addPod(pod('nats-1'));
    const states: string[] = [];
    const forward = await NatsPortForward.start(cluster, { release: 'nats', namespace: 'nats', onState: (s) => states.push(s.kind === 'forwarding' ? `forwarding ${s.pod}` : s.kind) });
    let nc: NatsConnection | undefined;
    try {
      assert.deepEqual(forward.state, { kind: 'forwarding', pod: 'nats-1', localPort: forward.localPort });
      assert.match(forward.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
      nc = await connect({ servers: forward.url, reconnectTimeWait: 50, maxReconnectAttempts: -1 });
      assert.equal(await roundTrip(nc, 'pf.before'), 'hi');
      assert.equal(api.openStreams('nats', 'nats-1'), 1);

      const client = nc;
      const reconnected = (async () => {
        for await (const s of client.status()) if (s.type === 'reconnect') return;
      })();
      const movedOn = nextState(forward, (s) => s.kind === 'forwarding' && s.pod === 'nats-2');
      api.restartPod('nats', 'nats-1', pod('nats-2'));
      await withTimeout(movedOn, 20_000, 'the forward did not move to the new pod');
      await withTimeout(reconnected, 20_000, 'the NATS client did not reconnect');
      assert.equal(await roundTrip(nc, 'pf.after'), 'hi');
      assert.equal(api.openStreams('nats', 'nats-2'), 1);
      assert.deepEqual(states.slice(0, 4), ['starting', 'forwarding nats-1', 'reconnecting', 'forwarding nats-2']);
    } finally {
      await nc?.close();
      await forward.stop();
    }
    assert.equal(forward.state.kind, 'stopped');
    assert.equal(states.at(-1), 'stopped');
  });

  it('waits through a window with no ready pod, then carries on', async () => {
    api.removePod('nats', 'nats-0');
    api.removePod('nats', 'nats-2');
    api.addPod(pod('nats-3'));
    const forward = await NatsPortForward.start(cluster, { release: 'nats', namespace: 'nats' });
    let nc: NatsConnection | undefined;
    try {
      nc = await connect({ servers: forward.url, reconnectTimeWait: 50, maxReconnectAttempts: -1 });
      const client = nc;
      const reconnected = (async () => {
        for await (const s of client.status()) if (s.type === 'reconnect') return;
      })();
      const reconnecting = nextState(forward, (s) => s.kind === 'reconnecting');
      const back = nextState(forward, (s) => s.kind === 'forwarding' && s.pod === 'nats-4');
      api.restartPod('nats', 'nats-3', pod('nats-4', false));
      const r = await withTimeout(reconnecting, 20_000, 'no reconnecting state');
      assert.match(r.kind === 'reconnecting' ? r.reason : '', /^the stream to pod nats-3 dropped/);
      api.addPod(pod('nats-4', true)); // the new pod becomes ready
      await withTimeout(back, 20_000, 'the forward did not find the pod once it was ready');
      // The client's own reconnect finishes the job (publishing mid-handshake is nats.js's business, not ours).
      await withTimeout(reconnected, 20_000, 'the NATS client did not reconnect');
      assert.equal(await roundTrip(nc, 'pf.window'), 'hi');
    } finally {
      await nc?.close();
      await forward.stop();
    }
  });

  it('fails in one sentence when no pod becomes ready, and closes its listener', async () => {
    const states: PortForwardState[] = [];
    await assert.rejects(
      NatsPortForward.start(cluster, { release: 'missing', namespace: 'nats', readyTimeoutMs: 300, onState: (s) => states.push(s) }),
      (e: KubeAccessError) => e.kind === 'no-ready-pod' && e.message === 'No ready NATS pod to forward to: no NATS server pod of release missing in namespace nats. Check the release\'s pods, then reconnect.',
    );
    assert.ok(states.some((s) => s.kind === 'failed'));
  });
});
