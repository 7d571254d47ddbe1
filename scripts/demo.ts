// `npm start`: the seed's whole story on loopback. A K3s-shaped control plane keeps its state in NATS (the 3-node
// JetStream cluster of nats-server 2.14 the chart deploys, kine on it, kube-apiserver and kube-controller-manager);
// one fake node run by kwok plays the kubelet (no container runs here: it makes the pods Ready, runs `kubectl exec`
// on this machine and carries the release's port-forwards to the real NATS nodes); helm has installed the real NATS
// chart into it with the demo's values; the cluster carries a little data and a little steady traffic; code-server
// runs this extension against all of it. Ctrl-C stops everything it started.
// Its terminals have the real `nats` CLI, helm and kubectl on PATH, pointed at the demo.
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HelmClient } from '../src/core/helm/helmClient';
import { loadClientNode } from '../src/core/kube/clientNode';
import { startCodeServer, type CodeServer } from '../test/harness/codeServer';
import { startK8sStack, type K8sStack } from '../test/harness/k8sStack';
import { portInUse } from '../test/harness/processes';
import { repoRoot, tools } from '../test/harness/tools';

async function seed(urls: string[]): Promise<void> {
  const nc = await connect({ servers: urls, name: 'nats-k3s demo seed' });
  try {
    // R3 assets elect a leader each: on a loaded machine that can take longer than the 5 s default.
    const jsm = await jetstreamManager(nc, { timeout: 30_000 });
    // Replicated on all three nodes, as a production stream would be: the explorer shows its leader and replicas.
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3 });
    const js = jetstream(nc, { timeout: 30_000 });
    const regions = ['eu', 'us', 'ap'];
    for (let i = 1; i <= 30; i++) {
      const region = regions[i % regions.length];
      await js.publish(`orders.${region}.created`, JSON.stringify({ id: i, region, total: (i * 7.5).toFixed(2) }));
    }
    const kv = await new Kvm(js).create('app-config', { history: 5, replicas: 3 });
    await kv.put('feature.checkout', 'on');
    await kv.put('feature.search', 'off');
    await kv.put('feature.search', 'on');
    await kv.put('limits.orders-per-minute', '600');
  } finally {
    await nc.close();
  }
}

/**
 * A little steady traffic, so the Subjects node shows life at first sight: a sensor reading every second, an order
 * every five, and a service answering `demo.time` requests. Resolves to a function that stops it.
 */
async function steadyTraffic(urls: string[]): Promise<() => Promise<void>> {
  const nc = await connect({ servers: urls, name: 'nats-k3s demo traffic' });
  nc.subscribe('demo.time', {
    callback: (_err, msg) => {
      msg.respond(new Date().toISOString());
    },
  });
  const js = jetstream(nc);
  let n = 0;
  const timer = setInterval(() => {
    n++;
    nc.publish(
      `sensors.room${1 + (n % 3)}.temperature`,
      JSON.stringify({ celsius: 20 + Math.round(Math.sin(n / 10) * 30) / 10 }),
    );
    if (n % 5 === 0) {
      // Best effort: during a leader election the publish may fail, and the next one goes through.
      js.publish('orders.eu.created', JSON.stringify({ id: 1000 + n, region: 'eu', total: '12.50' })).catch(
        () => undefined,
      );
    }
  }, 1_000);
  return async () => {
    clearInterval(timer);
    await nc.close();
  };
}

/** A `nats` CLI context for the demo cluster, selected, in a config folder of the demo's own (XDG_CONFIG_HOME). */
function writeNatsContext(configHome: string, urls: string[]): void {
  const dir = join(configHome, 'nats', 'context');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'demo.json'),
    JSON.stringify({ description: 'nats-k3s demo cluster', url: urls.join(',') }, null, 2),
  );
  writeFileSync(join(configHome, 'nats', 'context.txt'), 'demo');
}

/** A folder for the terminal's PATH: `nats`, `kubectl`, and `helm` as helm 4 (`helm3` beside it). */
function writeToolsBin(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const t = tools();
  for (const [name, target] of [
    ['nats', t.nats],
    ['kubectl', t.kubectl],
    ['helm', t.helm4],
    ['helm3', t.helm3],
  ] as const)
    symlinkSync(target, join(dir, name));
  return dir;
}

/** The chart as the machines here have it (no chart repository is reachable): ../shared/charts beside the repo. */
const DEMO_CHART = join(repoRoot, '..', 'shared', 'charts', 'nats-2.14.2');

/** `helm upgrade --install nats` of the real chart with demo/values.yaml into namespace nats; helm's own data stays in the demo folder. */
async function installChart(stack: K8sStack, workspace: string): Promise<HelmClient> {
  const helmHome = join(workspace, '.demo-config', 'helm');
  const helm = new HelmClient({
    helmPath: tools().helm4,
    kubeconfigPaths: [stack.kubeconfig],
    env: {
      HELM_CACHE_HOME: join(helmHome, 'cache'),
      HELM_CONFIG_HOME: join(helmHome, 'config'),
      HELM_DATA_HOME: join(helmHome, 'data'),
    },
  });
  // The release's pods nats-0..2 stand for the cluster's nodes n1..n3: a port-forward to a pod reaches its node.
  await ensureNamespace(stack, 'nats');
  await stack.forwardPodsToNats('nats', 'nats');
  await helm.upgradeInstall({
    release: 'nats',
    namespace: 'nats',
    valuesFile: join(workspace, 'values.yaml'),
    chart: DEMO_CHART,
    createNamespace: true,
    waitTimeoutSeconds: 120,
  });
  return helm;
}

async function ensureNamespace(stack: K8sStack, name: string): Promise<void> {
  const k8s = await loadClientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(stack.kubeconfig);
  await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name } } });
}

async function main(): Promise<void> {
  const port = Number(process.env.NATS_K3S_DEMO_PORT ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`NATS_K3S_DEMO_PORT must be a port number, not '${process.env.NATS_K3S_DEMO_PORT}'.`);
  }
  if (await portInUse(port)) {
    throw new Error(
      `Port ${port} on 127.0.0.1 is already in use: stop what uses it, or run with NATS_K3S_DEMO_PORT set to a free port.`,
    );
  }
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    publisher: string;
    name: string;
    version: string;
  };
  const workspace = mkdtempSync(join(tmpdir(), 'nats-k3s-demo-'));
  cpSync(join(repoRoot, 'demo'), workspace, { recursive: true });

  let stack: K8sStack | undefined;
  let server: CodeServer | undefined;
  let stopTraffic: (() => Promise<void>) | undefined;
  const stopAll = async () => {
    await stopTraffic?.();
    await server?.stop();
    await stack?.stop();
    rmSync(workspace, { recursive: true, force: true });
  };
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the demo…');
    stopAll().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const started = Date.now();
  const phases: string[] = [];
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const result = await work();
    phases.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  };
  let installed = false;
  try {
    if (!existsSync(DEMO_CHART))
      throw new Error(
        `the NATS chart is not at ${DEMO_CHART}: the demo installs it from there (../shared/charts beside the repository).`,
      );
    stack = await phase('control plane on NATS', () =>
      startK8sStack({ nodes: 1, onProgress: (line) => console.log(`  ${line}`) }),
    );
    const urls = stack.natsUrls;
    await phase('helm install', () => installChart(stack!, workspace));
    installed = true;
    await phase('data', () => seed(urls));
    stopTraffic = await steadyTraffic(urls);
    const configHome = join(workspace, '.demo-config');
    writeNatsContext(configHome, urls);
    const bin = writeToolsBin(join(workspace, '.demo-bin'));
    server = await phase('code-server', () =>
      startCodeServer({
        port,
        folder: workspace,
        link: [{ folder: repoRoot, id: `${pkg.publisher}.${pkg.name}-${pkg.version}` }],
        settings: {
          'natsK3s.defaultServerUrl': urls.join(','),
          'natsK3s.kubeconfig': stack!.kubeconfig,
          'natsK3s.helmPath': tools().helm4,
          'natsK3s.kubectlPath': tools().kubectl,
          'natsK3s.helm.chart': DEMO_CHART,
          'workbench.reduceMotion': 'off',
          'files.exclude': { '.demo-config': true, '.demo-bin': true },
          'terminal.integrated.env.linux': {
            PATH: `${bin}:\${env:PATH}`,
            XDG_CONFIG_HOME: configHome,
            NATS_URL: urls.join(','),
            KUBECONFIG: stack!.kubeconfig,
          },
        },
      }),
    );
  } catch (err) {
    await stopAll();
    throw err;
  }
  const nodes = stack.cluster.nodes.map((n) => `${n.name} ${n.url} (pid ${n.pid})`).join(', ');
  console.log(`
NATS for K3s demo, ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${phases.join(', ')})
  NATS cluster    ${stack.cluster.name}: ${nodes}
                  nats-server ${tools().natsServer}; stream ORDERS (R3), KV bucket app-config (R3);
                  a little traffic on sensors.> and orders.>, and a demo.time service
  K3s on NATS     kine (${stack.kineEndpoint}) keeps kube-apiserver's state in the KV bucket ${stack.bucket}
                  KUBECONFIG=${stack.kubeconfig}
  helm release    nats in namespace nats: the chart ${DEMO_CHART}${installed ? '' : ' (not installed)'} with values.yaml
                  (kwok plays the kubelet on node ${stack.nodeNames.join(', ')}: the pods are Ready, the nats-box shell
                  runs the real nats CLI, a port-forward to nats-N reaches node nN)
  code-server     ${server.url}/?folder=${encodeURIComponent(workspace)}

Open the code-server URL in a browser and click the NATS icon in the activity bar: the Connections view has the
cluster with its streams and the kine bucket decoded, the Releases view the release. Its terminal has the real
\`nats\` CLI with a context for the cluster (\`nats sub 'sensors.>'\`, \`nats req demo.time ''\`, \`nats stream report\`),
\`helm\` (v4; \`helm3\` too) and \`kubectl\`, pointed at the demo.
Press Ctrl-C to stop everything.`);
}

main().catch((err: unknown) => {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
