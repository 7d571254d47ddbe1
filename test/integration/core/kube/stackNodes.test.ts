/**
 * The K3s-shaped stack with fake nodes (`startK8sStack({ nodes })`, test/harness/kwok.ts): kwok plays the kubelet
 * out of cluster, the harness's binder plays the scheduler. Checked with the real kubectl and @kubernetes/client-node
 * against the real apiserver: nodes Ready, a chart-like StatefulSet's Pods Running and Ready, port-forward to a pod
 * reaching the real nats-server behind it, exec running the real `nats` CLI locally, logs, completion and deletes.
 */
import * as assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { connect as tcpConnect, createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { AppsV1Api, CoreV1Api, KubeConfig, V1StatefulSet } from '@kubernetes/client-node' with {
  'resolution-mode': 'import',
};
import { loadClientNode } from '../../../../src/core/kube/clientNode';
import { startK8sStack, type K8sStack } from '../../../harness/k8sStack';
import { eventually, stopProcess } from '../../../harness/processes';
import { tools } from '../../../harness/tools';

const run = promisify(execFile);
const NS = 'nats-k3s-nodes-test';
const LABELS = {
  'app.kubernetes.io/name': 'nats',
  'app.kubernetes.io/instance': 'nats',
  'app.kubernetes.io/component': 'nats',
};
const SELECTOR = Object.entries(LABELS)
  .map(([k, v]) => `${k}=${v}`)
  .join(',');

/** The NATS chart 2.x's StatefulSet, reduced to what the controllers act on (as in stack.test.ts). */
function chartLikeStatefulSet(): V1StatefulSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'nats', namespace: NS, labels: LABELS },
    spec: {
      replicas: 3,
      serviceName: 'nats-headless',
      podManagementPolicy: 'Parallel',
      selector: { matchLabels: LABELS },
      template: {
        metadata: { labels: LABELS },
        spec: {
          containers: [
            {
              name: 'nats',
              image: 'nats:2.14.2-alpine',
              ports: [
                { name: 'nats', containerPort: 4222 },
                { name: 'monitor', containerPort: 8222 },
              ],
            },
            { name: 'reloader', image: 'natsio/nats-server-config-reloader:0.16.0' },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'nats-js' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } },
        },
      ],
    },
  };
}

/** Reads a server's INFO, then PINGs: resolves with INFO's server_name once PONG arrives. */
function natsPing(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = tcpConnect(port, '127.0.0.1');
    let buf = '';
    let name: string | undefined;
    const timer = setTimeout(
      () => sock.destroy(new Error(`no INFO/PONG on ${port} within 5 s (got ${JSON.stringify(buf)})`)),
      5_000,
    );
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      buf += d;
      const info = /^INFO (\{.*\})\s*\r\n/.exec(buf);
      if (!name && info) {
        name = (JSON.parse(info[1]!) as { server_name: string }).server_name;
        sock.write('CONNECT {"verbose":false}\r\nPING\r\n');
      }
      if (name && /PONG\r\n/.test(buf)) {
        clearTimeout(timer);
        sock.end();
        resolve(name);
      }
    });
    sock.on('error', (err) => (clearTimeout(timer), reject(err)));
    sock.on('close', () => (clearTimeout(timer), reject(new Error(`closed before PONG (got ${JSON.stringify(buf)})`))));
  });
}

describe('K3s-shaped stack with kwok nodes: Pods run, port-forward reaches NATS, exec runs locally', function () {
  this.timeout(300_000);
  let stack: K8sStack | undefined;
  let kc: KubeConfig;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  const children = new Set<ChildProcess>();
  const servers = new Set<Server>();
  const kubectl = async (...args: string[]) =>
    (await run(tools().kubectl, ['--kubeconfig', stack!.kubeconfig, ...args])).stdout;

  /** `kubectl port-forward` on a free local port; resolves with that port once kubectl says it forwards. */
  const portForward = (pod: string, remote: number): Promise<number> => {
    const child = spawn(
      tools().kubectl,
      ['--kubeconfig', stack!.kubeconfig, '-n', NS, 'port-forward', `pod/${pod}`, `:${remote}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.add(child);
    return new Promise((resolve, reject) => {
      let out = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /Forwarding from 127\.0\.0\.1:(\d+) ->/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.once('exit', (code) => reject(new Error(`kubectl port-forward exited with ${code}: ${out}`)));
    });
  };

  before(async () => {
    stack = await startK8sStack({ nodes: 2 });
    const ms = stack.startupMs;
    console.log(
      `      stack start-up: kube-controller-manager ${ms.kubeControllerManager} ms, kwok nodes ${ms.kwok} ms, total ${ms.total} ms`,
    );
    const k8s = await loadClientNode();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
  });

  after(async function () {
    for (const s of servers) s.close();
    await Promise.all([...children].map((c) => stopProcess(c)));
    // After a failure the logs stay (kwok.log, pod-binder.log, kube-*.log).
    const failed = this.test?.parent?.tests.some((t) => t.isFailed()) ?? false;
    await stack?.stop({ keepDir: failed });
    if (failed) console.log(`      the stack's logs are kept in ${stack?.dir}`);
  });

  it('registers K3s-like nodes that kwok keeps Ready, with Leases, no taints and kwok as their kubelet', async () => {
    assert.deepEqual(stack!.nodeNames, ['k3s-server', 'k3s-agent-1']);
    await kubectl('wait', '--for=condition=Ready', 'node', '--all', '--timeout=60s');
    // KCM's node lifecycle controller taints a node while it is not Ready and lifts the taint soon after.
    const nodes = await eventually('untainted nodes', async () => {
      const list = (await core.listNode()).items;
      return list.every((n) => !n.spec?.taints?.length) ? list : undefined;
    });
    const server = nodes.find((n) => n.metadata?.name === 'k3s-server')!;
    assert.equal(server.metadata?.labels?.['node-role.kubernetes.io/control-plane'], 'true');
    assert.equal(server.metadata?.labels?.['kubernetes.io/hostname'], 'k3s-server');
    assert.equal(server.status?.capacity?.pods, '110');
    assert.deepEqual(server.status?.addresses?.find((a) => a.type === 'InternalIP')?.address, '127.0.0.1');
    assert.ok(
      (server.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0) > 0,
      JSON.stringify(server.status?.daemonEndpoints),
    );
    const leases = await kubectl('get', 'leases', '-n', 'kube-node-lease', '-o', 'name');
    assert.deepEqual(leases.trim().split('\n').sort(), [
      'lease.coordination.k8s.io/k3s-agent-1',
      'lease.coordination.k8s.io/k3s-server',
    ]);
  });

  it('binds a chart-like StatefulSet (Parallel, 3 replicas) and its Pods become Running and Ready', async () => {
    await core.createNamespace({ body: { metadata: { name: NS } } });
    await apps.createNamespacedStatefulSet({ namespace: NS, body: chartLikeStatefulSet() });
    await eventually('3 Pods of the StatefulSet', async () =>
      (await core.listNamespacedPod({ namespace: NS })).items.length === 3 ? true : undefined,
    );
    await kubectl('-n', NS, 'wait', '--for=condition=Ready', 'pod', '-l', SELECTOR, '--timeout=60s');
    await kubectl('-n', NS, 'rollout', 'status', 'statefulset/nats', '--timeout=60s');

    const pods = (await core.listNamespacedPod({ namespace: NS })).items;
    for (const p of pods) {
      assert.equal(p.status?.phase, 'Running');
      assert.ok(stack!.nodeNames.includes(p.spec!.nodeName!), p.spec?.nodeName);
      assert.equal(p.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
      assert.deepEqual(
        p.status?.containerStatuses?.map((c) => [c.name, c.ready, !!c.state?.running]),
        [
          ['nats', true, true],
          ['reloader', true, true],
        ],
      );
      assert.match(p.status?.podIP ?? '', /^10\.42\.0\.\d+$/);
      assert.equal(p.status?.hostIP, '127.0.0.1');
    }
    // The binder spreads them over both nodes.
    assert.equal(new Set(pods.map((p) => p.spec?.nodeName)).size, 2);
    const sts = await apps.readNamespacedStatefulSet({ name: 'nats', namespace: NS });
    assert.equal(sts.status?.readyReplicas, 3);
  });

  it('port-forwards pod nats-N:4222 (kubectl) to the real nats-server nN of the stack', async () => {
    await stack!.forwardPodsToNats(NS, 'nats');
    for (const i of [0, 1, 2]) {
      const port = await portForward(`nats-${i}`, 4222);
      assert.equal(await eventually(`PONG through nats-${i}`, () => natsPing(port), 15_000), `n${i + 1}`);
    }
  });

  it("port-forwards pod nats-1:8222 with client-node's PortForward to n2's monitoring port", async () => {
    const k8s = await loadClientNode();
    const forward = new k8s.PortForward(kc);
    // One WebSocket per accepted connection, closed with it (else it keeps Node alive).
    const server = createServer((socket) => {
      forward.portForward(NS, 'nats-1', [8222], socket, null, socket).then(
        (ws) => socket.once('close', () => (typeof ws === 'function' ? ws() : ws)?.close()),
        (err: unknown) => socket.destroy(err as Error),
      );
    });
    servers.add(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const varz = await new Promise<string>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path: '/varz', agent: false, timeout: 10_000 }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve(body));
      })
        .on('timeout', function (this: { destroy(e: Error): void }) {
          this.destroy(new Error('no answer from /varz through the forward within 10 s'));
        })
        .on('error', reject);
    });
    const v = JSON.parse(varz) as { server_name: string; version: string };
    assert.equal(v.server_name, 'n2');
    assert.equal(v.version, tools().natsServerVersion);
  });

  it('runs `kubectl exec` locally: NATS_URL is the cluster and the real nats CLI reaches it', async () => {
    const url = await kubectl('-n', NS, 'exec', 'nats-0', '-c', 'nats', '--', 'sh', '-c', 'echo "$NATS_URL"');
    assert.equal(url.trim(), stack!.natsUrls.join(','));
    // A login shell as the nats-box command opens it (`sh -l`): /etc/profile resets PATH, the stack's .profile fixes it.
    const buckets = await kubectl('-n', NS, 'exec', 'nats-2', '--', 'sh', '-lc', 'nats kv ls --names');
    assert.ok(buckets.split('\n').includes('kine'), buckets);
  });

  it('serves `kubectl logs` of nats-N from node nN’s log', async () => {
    const logs = await kubectl('-n', NS, 'logs', 'nats-2', '-c', 'nats');
    assert.match(logs, /Server is ready/);
    assert.match(logs, /\[INF\]\s+Name:\s+n3\n/);
  });

  it('finishes a graceful delete at once (the StatefulSet makes the Pod again) and runs non-restarted Pods to completion', async () => {
    const before = await core.readNamespacedPod({ name: 'nats-1', namespace: NS });
    const t0 = Date.now();
    await kubectl('-n', NS, 'delete', 'pod', 'nats-1', '--wait=true', '--timeout=30s');
    const deleteMs = Date.now() - t0;
    assert.ok(deleteMs < 10_000, `delete took ${deleteMs} ms (a 30 s grace period means kwok did not finish it)`);
    await eventually('nats-1 made again and Ready', async () => {
      const p = await core.readNamespacedPod({ name: 'nats-1', namespace: NS });
      // Thrown, so a timeout says how far it got.
      if (p.metadata?.uid === before.metadata?.uid) throw new Error('still the deleted Pod');
      const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      if (!ready) throw new Error(`the new Pod is ${p.status?.phase} on ${p.spec?.nodeName || 'no node'}`);
      return true;
    });

    // As `helm test` runs the chart's test hook: a Pod that is not restarted.
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: 'nats-test-request-reply' },
        spec: { restartPolicy: 'Never', containers: [{ name: 'nats-box', image: 'natsio/nats-box:0.19.1' }] },
      },
    });
    await kubectl(
      '-n',
      NS,
      'wait',
      '--for=jsonpath={.status.phase}=Succeeded',
      'pod/nats-test-request-reply',
      '--timeout=60s',
    );
    const done = await core.readNamespacedPod({ name: 'nats-test-request-reply', namespace: NS });
    assert.equal(done.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 0);
  });
});
