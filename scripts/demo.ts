// `npm start`: the NATS the chart deploys (a 3-node JetStream cluster of nats-server 2.14) with a little data and a
// little steady traffic, and code-server with this extension, all on loopback. Ctrl-C stops everything it started.
// The demo's settings point the extension at its own cluster; its terminals have the real `nats` CLI on PATH.
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeReferenceScenario } from '../src/core/kine/fixtureScenario';
import { KineFixtureWriter } from '../src/core/kine/fixtureWriter';
import { startCodeServer, type CodeServer } from '../test/harness/codeServer';
import { startNatsCluster, type NatsCluster } from '../test/harness/natsCluster';
import { portInUse } from '../test/harness/processes';
import { repoRoot, tools } from '../test/harness/tools';

async function seed(urls: string[]): Promise<void> {
  const nc = await connect({ servers: urls, name: 'nats-k3s demo seed' });
  try {
    const jsm = await jetstreamManager(nc);
    // Replicated on all three nodes, as a production stream would be: the explorer shows its leader and replicas.
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3 });
    const js = jetstream(nc);
    const regions = ['eu', 'us', 'ap'];
    for (let i = 1; i <= 30; i++) {
      const region = regions[i % regions.length];
      await js.publish(`orders.${region}.created`, JSON.stringify({ id: i, region, total: (i * 7.5).toFixed(2) }));
    }
    const kv = await new Kvm(nc).create('app-config', { history: 5, replicas: 3 });
    await kv.put('feature.checkout', 'on');
    await kv.put('feature.search', 'off');
    await kv.put('feature.search', 'on');
    await kv.put('limits.orders-per-minute', '600');
    // A bucket as K3s's kine writes it, for the decoded Kubernetes view.
    await writeReferenceScenario(await KineFixtureWriter.create(nc, { bucket: 'kine' }));
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
    nc.publish(`sensors.room${1 + (n % 3)}.temperature`, JSON.stringify({ celsius: 20 + Math.round(Math.sin(n / 10) * 30) / 10 }));
    if (n % 5 === 0) {
      // Best effort: during a leader election the publish may fail, and the next one goes through.
      js.publish('orders.eu.created', JSON.stringify({ id: 1000 + n, region: 'eu', total: '12.50' })).catch(() => undefined);
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
  writeFileSync(join(dir, 'demo.json'), JSON.stringify({ description: 'nats-k3s demo cluster', url: urls.join(',') }, null, 2));
  writeFileSync(join(configHome, 'nats', 'context.txt'), 'demo');
}

async function main(): Promise<void> {
  const port = Number(process.env.NATS_K3S_DEMO_PORT ?? 8080);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`NATS_K3S_DEMO_PORT must be a port number, not '${process.env.NATS_K3S_DEMO_PORT}'.`);
  }
  if (await portInUse(port)) {
    throw new Error(`Port ${port} on 127.0.0.1 is already in use: stop what uses it, or run with NATS_K3S_DEMO_PORT set to a free port.`);
  }
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
  const workspace = mkdtempSync(join(tmpdir(), 'nats-k3s-demo-'));
  cpSync(join(repoRoot, 'demo'), workspace, { recursive: true });

  let nats: NatsCluster | undefined;
  let server: CodeServer | undefined;
  let stopTraffic: (() => Promise<void>) | undefined;
  const stopAll = async () => {
    await stopTraffic?.();
    await server?.stop();
    await nats?.stop();
    rmSync(workspace, { recursive: true, force: true });
  };
  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the demo…');
    stopAll().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    nats = await startNatsCluster({ name: 'nats-k3s-demo' });
    await seed(nats.urls);
    stopTraffic = await steadyTraffic(nats.urls);
    // The integrated terminal: the real `nats` CLI (and helm, kubectl) first on PATH, with a context for the cluster.
    const configHome = join(workspace, '.demo-config');
    writeNatsContext(configHome, nats.urls);
    server = await startCodeServer({
      port,
      folder: workspace,
      link: [{ folder: repoRoot, id: `${pkg.publisher}.${pkg.name}-${pkg.version}` }],
      settings: {
        'natsK3s.defaultServerUrl': nats.urls.join(','),
        'natsK3s.helmPath': tools().helm4,
        'workbench.reduceMotion': 'off',
        'terminal.integrated.env.linux': { PATH: `${dirname(tools().nats)}:\${env:PATH}`, XDG_CONFIG_HOME: configHome, NATS_URL: nats.urls.join(',') },
      },
    });
  } catch (err) {
    await stopAll();
    throw err;
  }
  const nodes = nats.nodes.map((n) => `${n.name} ${n.url} (pid ${n.pid})`).join(', ');
  console.log(`
NATS for K3s demo
  NATS cluster  ${nats.name}: ${nodes}
                nats-server ${tools().natsServer}; stream ORDERS (R3), KV bucket app-config (R3), K3s kine bucket kine;
                a little traffic on sensors.> and orders.>, and a demo.time service
  code-server   ${server.url}/?folder=${encodeURIComponent(workspace)}

Open the code-server URL in a browser and click the NATS icon in the activity bar. Its terminal has the real
\`nats\` CLI with a context for the cluster: try \`nats sub 'sensors.>'\`, \`nats req demo.time ''\` or \`nats stream report\`.
Press Ctrl-C to stop everything.`);
}

main().catch((err: unknown) => {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
