/**
 * Fake nodes for the K3s-shaped stack (k8sStack.ts, option `nodes`). Nothing here runs containers, so kwok plays the
 * kubelet, out of cluster, against the stack's apiserver:
 *
 *   - Nodes named like K3s's (`k3s-server`, control-plane; `k3s-agent-N`) with capacity, made Ready and kept so
 *     (kwok renews their Leases); their InternalIP is 127.0.0.1 and their kubelet port is kwok's own server, so
 *     the apiserver's exec, logs and port-forward reach kwok;
 *   - Pods bound to them become Running and Ready, run to completion when they are not restarted, and a delete
 *     finishes at once (the Stages in test/fixtures/kwok/stages.yaml);
 *   - `kubectl exec` into any Pod runs the command on this machine, with NATS_URL set to the stack's cluster and the
 *     real `nats` CLI on PATH (a ClusterExec in kwok's --config: the nats-box shell becomes a local shell);
 *   - `forwardPodsToNats` maps Pods `<sts>-0..2` to the cluster's nodes n1..n3 (PortForward 4222 and 8222, and Logs:
 *     a snapshot of that node's log), as kwok CRDs written at run time; `forwardPodPorts` maps one Pod's ports to any
 *     local ports (a server a test started);
 *   - a Pod annotated `nats-k3s.test/kubelet-reports` shows the status a kubelet would report for a container that
 *     is not ready or crash-loops (stages.yaml; test/harness/podStates.ts sets it).
 *
 * kwok binds no Pods: kwokBinder.ts does, as kube-scheduler would, in a process of its own.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { dirname, join } from 'node:path';
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { KubeConfig, V1CustomResourceDefinition, V1Node } from '@kubernetes/client-node' with {
  'resolution-mode': 'import',
};
import { stringify } from 'yaml';
import { loadClientNode, type ClientNodeModule } from '../../src/core/kube/clientNode';
import type { NatsCluster } from './natsCluster';
import { freePort, withTimeout } from './processes';
import { repoRoot, tools } from './tools';

const KWOK_GROUP = 'kwok.x-k8s.io';
/** kwok manages only nodes carrying this annotation (the harness makes them all with it). */
const FAKE_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
/** K3s's pod CIDR (`--cluster-cidr`); kwok hands out Pod IPs from it. */
const K3S_POD_CIDR = '10.42.0.0/24';
/** The kwok kinds the harness writes at run time (`--enable-crds`); Stages and the ClusterExec come from --config. */
const RUNTIME_KINDS = [
  { kind: 'PortForward', plural: 'portforwards' },
  { kind: 'Logs', plural: 'logs' },
] as const;

/** A process started for the stack (k8sStack.ts's StackProcess). */
export interface KwokProcess {
  readonly pid: number;
  readonly exited: Promise<string>;
  /** Resolves when a log line matches; rejects when the process exits first. */
  waitForLine(pattern: RegExp): Promise<void>;
}

export interface KwokStartOptions {
  readonly nodes: number;
  readonly dir: string;
  readonly kubeconfig: string;
  readonly cluster: NatsCluster;
  /** Starts a process of the stack, logging to `logFile`; `group`: in a process group of its own, stopped whole. */
  readonly spawn: (
    name: string,
    binary: string,
    args: readonly string[],
    logFile: string,
    group: boolean,
  ) => KwokProcess;
}

export interface KwokNodes {
  readonly nodeNames: readonly string[];
  readonly pid: number;
  readonly binderPid: number;
  forwardPodsToNats(namespace: string, statefulSet: string): Promise<void>;
  forwardPodPorts(
    namespace: string,
    pod: string,
    ports: Readonly<Record<number, number>>,
    logLines?: readonly string[],
  ): Promise<void>;
}

/** Node `i` as K3s would register it: the first is the server (control-plane), the others agents. */
export function fakeNode(i: number): V1Node {
  const name = i === 0 ? 'k3s-server' : `k3s-agent-${i}`;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const resources = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '50Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { [FAKE_NODE_ANNOTATION]: 'fake' },
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'node.kubernetes.io/instance-type': 'k3s',
        ...(i === 0
          ? { 'node-role.kubernetes.io/control-plane': 'true', 'node-role.kubernetes.io/master': 'true' }
          : {}),
      },
    },
    // No taints: K3s's single server schedules workloads too. The status is kept on create (a kubelet registers
    // its Node the same way); kwok's node-ready Stage adds conditions, addresses and the kubelet port.
    spec: {},
    status: { capacity: resources, allocatable: resources },
  };
}

/**
 * kwok's --config: our Stages plus a ClusterExec that runs `exec` locally with the cluster's NATS_URL. HOME is a
 * folder of the stack's: the user's own `nats` contexts stay out, and its .profile puts `nats` back on PATH for a
 * login shell (the nats-box command is `sh -l`, and /etc/profile resets PATH).
 */
function writeKwokConfig(file: string, cluster: NatsCluster, home: string): void {
  const stages = readFileSync(join(repoRoot, 'test', 'fixtures', 'kwok', 'stages.yaml'), 'utf8');
  const path = `${dirname(tools().nats)}:${process.env.PATH ?? '/usr/bin:/bin'}`;
  writeFileSync(join(home, '.profile'), `export PATH='${path}'\n`);
  const exec = {
    apiVersion: `${KWOK_GROUP}/v1alpha1`,
    kind: 'ClusterExec',
    metadata: { name: 'run-locally' },
    spec: {
      execs: [
        {
          local: {
            workDir: home,
            envs: [
              { name: 'NATS_URL', value: cluster.urls.join(',') },
              { name: 'PATH', value: path },
              { name: 'HOME', value: home },
            ],
          },
        },
      ],
    },
  };
  writeFileSync(file, `${stages}\n---\n${stringify(exec)}`);
}

/** A CRD for a kwok kind, loose on purpose (kwok validates what it reads): just enough for the apiserver to serve it. */
function kwokCrd(kind: string, plural: string): V1CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${KWOK_GROUP}` },
    spec: {
      group: KWOK_GROUP,
      scope: 'Namespaced',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      // client-node's serializer knows the field by its TS name only ('x-kubernetes-…' would be dropped, and
      // the apiserver would then prune every spec).
      versions: [
        {
          name: 'v1alpha1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: { openAPIV3Schema: { type: 'object', x_kubernetes_preserve_unknown_fields: true } },
        },
      ],
    },
  };
}

/** Polls `probe` every 100 ms; rejects after `ms`, or as soon as `proc` exits. */
async function until(
  what: string,
  probe: () => Promise<boolean>,
  proc: KwokProcess | undefined,
  ms: number,
): Promise<void> {
  const deadline = Date.now() + ms;
  let exited: string | undefined;
  void proc?.exited.then((why) => (exited = why));
  let last = '';
  for (;;) {
    if (exited) throw new Error(`${exited} while waiting for ${what}`);
    if (await probe().catch((err: unknown) => ((last = String(err)), false))) return;
    if (Date.now() > deadline)
      throw new Error(`${what} did not happen within ${ms / 1000} s${last ? ` (last error: ${last})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET on kwok's plain-HTTP side (it serves HTTP and HTTPS on one port); resolves with the status code. */
function kwokStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

const isReady = (n: V1Node) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** `<rfc3339> stderr F <line>`: the CRI log format kwok's Logs read. */
function criLog(lines: readonly string[]): string {
  const now = new Date().toISOString();
  return lines.map((l) => `${now} stderr F ${l}\n`).join('');
}

export async function startKwokNodes(o: KwokStartOptions): Promise<KwokNodes> {
  const k8s: ClientNodeModule = await loadClientNode();
  const kc: KubeConfig = new k8s.KubeConfig();
  kc.loadFromFile(o.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const kwokDir = join(o.dir, 'kwok');
  mkdirSync(join(kwokDir, 'home'), { recursive: true });
  mkdirSync(join(kwokDir, 'logs'));

  const nodes = Array.from({ length: o.nodes }, (_, i) => fakeNode(i));
  // The binder first: its start (Node, client-node) takes longest. A Pod bound to a node not yet Ready just waits.
  const binderNodes = nodes.map((n) => ({ name: n.metadata!.name!, labels: n.metadata!.labels! }));
  const binder = o.spawn(
    'pod-binder',
    process.execPath,
    [join(__dirname, 'kwokBinder.js'), o.kubeconfig, JSON.stringify(binderNodes)],
    join(o.dir, 'pod-binder.log'),
    false,
  );
  // The CRDs must be served before kwok starts watching them; the nodes can wait for kwok.
  await Promise.all([
    ...RUNTIME_KINDS.map((k) => ext.createCustomResourceDefinition({ body: kwokCrd(k.kind, k.plural) })),
    ...nodes.map((body) => core.createNode({ body })),
  ]);
  await until(
    'the kwok CRDs to be established',
    async () => {
      const crds = await Promise.all(
        RUNTIME_KINDS.map((k) => ext.readCustomResourceDefinition({ name: `${k.plural}.${KWOK_GROUP}` })),
      );
      return crds.every((c) => c.status?.conditions?.some((x) => x.type === 'Established' && x.status === 'True'));
    },
    undefined,
    30_000,
  );

  const port = await freePort();
  const config = join(kwokDir, 'kwok.yaml');
  writeKwokConfig(config, o.cluster, join(kwokDir, 'home'));
  const proc = o.spawn(
    'kwok',
    tools().kwok,
    [
      `--kubeconfig=${o.kubeconfig}`,
      `--config=${config}`,
      `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=fake`,
      `--enable-crds=${RUNTIME_KINDS.map((k) => k.kind).join(',')}`,
      // The nodes' address and kubelet port: the apiserver dials 127.0.0.1:<port> for exec, logs and port-forward.
      '--node-ip=127.0.0.1',
      `--node-port=${port}`,
      `--server-address=127.0.0.1:${port}`,
      `--cidr=${K3S_POD_CIDR}`,
      // A kubelet's default. kwok's own default (40) is not applied when --config holds no KwokConfiguration, and
      // without Leases KCM would mark the nodes NotReady between two status heartbeats.
      '--node-lease-duration-seconds=40',
    ],
    join(o.dir, 'kwok.log'),
    // Commands run by `kubectl exec` are kwok's children and go with it: kwok v0.8.0 never closes an exec's stdin,
    // so one that reads stdin to its end (`kubectl exec -i … -- cat`) runs until kwok stops.
    true,
  );
  await Promise.all([
    until(
      `${o.nodes} Ready node(s)`,
      async () =>
        (await core.listNode({ labelSelector: 'node.kubernetes.io/instance-type=k3s' })).items.filter(isReady)
          .length === o.nodes,
      proc,
      60_000,
    ),
    withTimeout(binder.waitForLine(/^binding unscheduled Pods/), 30_000, 'the pod binder did not start within 30 s'),
  ]);

  /**
   * Writes the PortForward and Logs objects of one Pod, replacing what an earlier call wrote for it (kwok may act on
   * the old ones for a moment after a replacement).
   */
  const writePodForward = async (
    namespace: string,
    pod: string,
    ports: Readonly<Record<number, number>>,
    logLines: readonly string[],
  ): Promise<void> => {
    const logsFile = join(kwokDir, 'logs', `${namespace}_${pod}.log`);
    writeFileSync(logsFile, criLog(logLines));
    const forwards = Object.entries(ports).map(([p, target]) => ({
      ports: [Number(p)],
      target: { address: '127.0.0.1', port: target },
    }));
    const objects = [
      { plural: 'portforwards', kind: 'PortForward', spec: { forwards } },
      // Logs last: kwok answering for them (below) shows it has read this pod's objects.
      { plural: 'logs', kind: 'Logs', spec: { logs: [{ logsFile }] } },
    ];
    for (const { plural, kind, spec } of objects) {
      await custom
        .deleteNamespacedCustomObject({ group: KWOK_GROUP, version: 'v1alpha1', namespace, plural, name: pod })
        .catch(() => undefined);
      await custom.createNamespacedCustomObject({
        group: KWOK_GROUP,
        version: 'v1alpha1',
        namespace,
        plural,
        body: { apiVersion: `${KWOK_GROUP}/v1alpha1`, kind, metadata: { name: pod, namespace }, spec },
      });
    }
  };

  /** kwok reads the objects through a watch: ask its server until it serves every pod's logs. */
  const untilKwokServes = (namespace: string, pods: readonly string[], what: string): Promise<void> =>
    until(
      `kwok to pick up the forwards of ${what}`,
      async () =>
        (await Promise.all(pods.map((pod) => kwokStatus(port, `/containerLogs/${namespace}/${pod}/nats`)))).every(
          (s) => s === 200,
        ),
      proc,
      30_000,
    );

  const forwardPodsToNats = async (namespace: string, statefulSet: string): Promise<void> => {
    const pods = o.cluster.nodes.map((node, i) => ({ node, pod: `${statefulSet}-${i}` }));
    for (const { node, pod } of pods)
      await writePodForward(namespace, pod, { 4222: node.port, 8222: node.monitorPort }, node.log);
    await untilKwokServes(
      namespace,
      pods.map((p) => p.pod),
      `${namespace}/${statefulSet}-*`,
    );
  };

  const forwardPodPorts = async (
    namespace: string,
    pod: string,
    ports: Readonly<Record<number, number>>,
    logLines: readonly string[] = [],
  ): Promise<void> => {
    await writePodForward(namespace, pod, ports, logLines);
    await untilKwokServes(namespace, [pod], `${namespace}/${pod}`);
  };

  return {
    nodeNames: nodes.map((n) => n.metadata!.name!),
    pid: proc.pid,
    binderPid: binder.pid,
    forwardPodsToNats,
    forwardPodPorts,
  };
}
