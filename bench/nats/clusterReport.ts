// The cluster's JetStream report: jetstreamHealth() (every server's JSZ with stream and consumer detail, as the
// JetStream health document reads it) vs the real `nats server report jetstream` (out/tools.json `nats`, a process
// per report, as a user runs it) vs raw nats.js gathering the same JSZ replies, on one 3-node cluster in one run.
// Run: node scripts/build.mjs && node out/bench/nats/clusterReport.js [streams]
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { jetstreamHealth } from '../../src/core/nats/cluster/jetstreamHealth';
import { NatsSession } from '../../src/core/nats/session';
import { startNatsCluster } from '../../test/harness/natsCluster';
import { tools } from '../../test/harness/tools';
import { median, timed } from './benchSupport';

const run = promisify(execFile);

async function main(): Promise<void> {
  const streams = Number(process.argv[2] ?? 30);
  const cluster = await startNatsCluster();
  const app = await connect({ servers: cluster.urls });
  const sys = new NatsSession({
    spec: {
      name: 'bench',
      origin: 'settings',
      servers: cluster.urls,
      auth: { kind: 'userPassword', user: 'sys', password: { source: 'secretStore', key: 'p' } },
    },
    secrets: { get: async () => 'sys' },
    autoRetry: false,
  });
  const raw = await connect({ servers: cluster.urls, user: 'sys', pass: 'sys' });
  try {
    const jsm = await jetstreamManager(app, { timeout: 60_000 });
    for (let i = 0; i < streams; i++) {
      const name = `R3S${i}`;
      await jsm.streams.add({ name, subjects: [`r3.${i}.>`], num_replicas: 3 });
      await jsm.consumers.add(name, { durable_name: 'a', ack_policy: 'explicit' as never });
      await jsm.consumers.add(name, { durable_name: 'b', ack_policy: 'explicit' as never });
    }
    await cluster.waitHealthy(60_000);
    await sys.open();
    await sys.whenConnected(10_000);
    const assets = streams * 3;

    const ours = async () => {
      const h = await jetstreamHealth(sys);
      if (h.assets.length !== assets || h.servers.length !== 3) throw new Error(`ours saw ${h.assets.length} assets`);
    };
    const cli = async () => {
      const { stdout } = await run(tools().nats, [
        'server',
        'report',
        'jetstream',
        '3',
        '--server',
        cluster.urls.join(','),
        '--user',
        'sys',
        '--password',
        'sys',
      ]);
      if (!/n1/.test(stdout) || !/n3/.test(stdout)) throw new Error(`nats printed: ${stdout.slice(0, 300)}`);
    };
    const body = JSON.stringify({ accounts: true, streams: true, consumer: true, config: true });
    const natsJs = async () => {
      let n = 0;
      for await (const m of await raw.requestMany('$SYS.REQ.SERVER.PING.JSZ', body, {
        strategy: 'count' as never,
        maxMessages: 3,
        maxWait: 5_000,
      }))
        if (m.json()) n++;
      if (n !== 3) throw new Error(`raw got ${n} replies`);
    };
    const rounds = 15;
    const t: Record<'ours' | 'cli' | 'raw', number[]> = { ours: [], cli: [], raw: [] };
    const order: [keyof typeof t, () => Promise<void>][] = [
      ['ours', ours],
      ['cli', cli],
      ['raw', natsJs],
    ];
    for (const [, fn] of order) await fn();
    for (let i = 0; i < rounds; i++) {
      // Rotate who goes first, so drift on a shared machine hits all three alike.
      for (let j = 0; j < order.length; j++) {
        const [key, fn] = order[(i + j) % order.length]!;
        t[key].push((await timed(fn))[0]);
      }
    }
    const m = { ours: median(t.ours), cli: median(t.cli), raw: median(t.raw) };
    console.log(
      `cluster JetStream report, 3 servers, ${streams} R3 streams with 2 consumers each (median of ${rounds}): ` +
        `jetstreamHealth ${m.ours.toFixed(1)} ms, nats server report jetstream ${m.cli.toFixed(1)} ms ` +
        `(${(m.ours / m.cli).toFixed(2)}x), raw nats.js JSZ ${m.raw.toFixed(1)} ms (${(m.ours / m.raw).toFixed(2)}x)`,
    );
  } finally {
    await sys.close();
    await raw.close();
    await app.close();
    await cluster.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
