// `nats-k3s cluster report|servers` through the built CLI (dist/cli.js) against a real 3-node cluster: the system
// account's full report and exit status, a killed node reported offline with exit status 3, an ordinary account told
// what it cannot see, and usage errors in one sentence.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { runCliBundle, type CliRun } from '../../harness/cliProcess';
import { startNatsCluster, type NatsCluster } from '../../harness/natsCluster';

describe('nats-k3s cluster on a 3-node cluster', function () {
  this.timeout(180_000);
  let cluster: NatsCluster;
  let dir: string;
  const asSys = (...args: string[]) =>
    runCliBundle(
      [
        'cluster',
        ...args,
        '--server',
        cluster.urls.join(','),
        '--user',
        'sys',
        '--password-file',
        join(dir, 'password'),
      ],
      {
        killAfterMs: 60_000,
      },
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nats-k3s-cluster-cli-'));
    writeFileSync(join(dir, 'password'), 'sys\n', { mode: 0o600 });
    cluster = await startNatsCluster();
    const nc = await connect({ servers: cluster.urls });
    try {
      await (await jetstreamManager(nc, { timeout: 30_000 })).streams.add({
        name: 'ORDERS',
        subjects: ['orders.>'],
        num_replicas: 3,
      });
    } finally {
      await nc.close();
    }
  });
  after(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('prints every server with its routes', async () => {
    const run = await asSys('servers');
    assert.equal(run.code, 0, run.stderr);
    for (const n of ['n1', 'n2', 'n3']) assert.match(run.stdout, new RegExp(`^\\| ${n}( \\(connected\\))? \\|`, 'm'));
    assert.match(run.stdout, /\| n1, n2 \| none \| none \|$/m);
  });

  it('reports JetStream health, exits 3 while a replica is offline and 0 once it is back', async () => {
    let run: CliRun = await asSys('report', '--json');
    for (const deadline = Date.now() + 30_000; run.code !== 0 && Date.now() < deadline; )
      run = await asSys('report', '--json');
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const healthy = JSON.parse(run.stdout);
    assert.equal(healthy.source, 'system');
    assert.equal(healthy.meta.replicas.length, 3);
    const orders = healthy.assets.find((a: { stream: string }) => a.stream === 'ORDERS');
    const follower = orders.placement.replicas.find((r: { leader: boolean }) => !r.leader).name as string;
    const node = cluster.nodes.find((n) => n.name === follower)!;
    await node.kill();
    try {
      const text = async () => asSys('report');
      let down = await text();
      for (
        const deadline = Date.now() + 60_000;
        !down.stdout.includes(`${follower} offline`) && Date.now() < deadline;
      )
        down = await text();
      assert.equal(down.code, 3, down.stderr);
      assert.match(down.stdout, /^# JetStream health of /);
      assert.match(
        down.stdout,
        new RegExp(`\\| APP \\| ORDERS \\| – \\| R3 \\| \\*\\*degraded\\*\\* \\|.*${follower} offline`),
      );
    } finally {
      await node.restart();
    }
    await cluster.waitHealthy(60_000);
    let back = await asSys('report');
    for (const deadline = Date.now() + 60_000; back.code !== 0 && Date.now() < deadline; ) back = await asSys('report');
    assert.equal(back.code, 0, back.stdout);
    assert.match(back.stdout, /All \d+ streams and consumers have a leader and every replica current\./);
  });

  it('tells an ordinary account what it cannot see, and refuses bad usage in one sentence', async () => {
    const run = await runCliBundle(['cluster', 'report', '--server', cluster.urls[0]!], { killAfterMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /> The meta group and each server's JetStream usage need the system account/);
    assert.match(run.stdout, /\| \(this account\) \| ORDERS \|/);
    const bad = await runCliBundle(['cluster', 'status'], { killAfterMs: 30_000 });
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr.split('\n')[0],
      "nats-k3s cluster: unknown command 'status'. Run 'nats-k3s cluster --help'.",
    );
    const refused = await runCliBundle(
      ['cluster', 'servers', '--server', cluster.urls[0]!, '--user', 'sys', '--password', 'wrong'],
      {
        killAfterMs: 30_000,
      },
    );
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^nats-k3s cluster: Authorization failed on 127\.0\.0\.1:\d+/);
    assert.doesNotMatch(refused.stderr, /wrong/);
  });
});
