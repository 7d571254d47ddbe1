// `npm start`: a local nats-server with JetStream and a little data, and code-server with this extension, on
// loopback. Ctrl-C stops everything it started. The demo's settings point the extension at its own server.
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReferenceScenario } from '../src/core/kine/fixtureScenario';
import { KineFixtureWriter } from '../src/core/kine/fixtureWriter';
import { startCodeServer, type CodeServer } from '../test/harness/codeServer';
import { startNatsServer, type NatsServer } from '../test/harness/natsServer';
import { portInUse } from '../test/harness/processes';
import { repoRoot } from '../test/harness/tools';

async function seed(url: string): Promise<void> {
  const nc = await connect({ servers: url, name: 'nats-k3s demo seed' });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    const js = jetstream(nc);
    const regions = ['eu', 'us', 'ap'];
    for (let i = 1; i <= 30; i++) {
      const region = regions[i % regions.length];
      await js.publish(`orders.${region}.created`, JSON.stringify({ id: i, region, total: (i * 7.5).toFixed(2) }));
    }
    const kv = await new Kvm(nc).create('app-config', { history: 5 });
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

  let nats: NatsServer | undefined;
  let server: CodeServer | undefined;
  const stopAll = async () => {
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
    nats = await startNatsServer();
    await seed(nats.url);
    server = await startCodeServer({
      port,
      folder: workspace,
      link: [{ folder: repoRoot, id: `${pkg.publisher}.${pkg.name}-${pkg.version}` }],
      settings: { 'natsK3s.defaultServerUrl': nats.url, 'workbench.reduceMotion': 'off' },
    });
  } catch (err) {
    await stopAll();
    throw err;
  }
  console.log(`
NATS for K3s demo
  nats-server  ${nats.url}  (JetStream; stream ORDERS, KV bucket app-config, K3s kine bucket kine; pid ${nats.pid})
  code-server  ${server.url}/?folder=${encodeURIComponent(workspace)}

Open the code-server URL in a browser and click the NATS icon in the activity bar.
Press Ctrl-C to stop everything.`);
}

main().catch((err: unknown) => {
  console.error(`npm start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
