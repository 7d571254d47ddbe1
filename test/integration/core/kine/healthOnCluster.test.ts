// Bucket health and the datastore endpoint check on a real 3-node JetStream cluster of nats-server: a healthy R3 bucket
// has no findings; R1, a killed node, heavy history and stalled compaction are each flagged; the check's predictions
// about what kine does with an endpoint are held against kine itself.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { bucketHealth, type KineBucketHealth } from '../../../../src/core/kine/bucketHealth';
import { inspectDatastoreTarget } from '../../../../src/core/kine/datastoreTarget';
import { checkDatastoreEndpoint, KINE_BUCKET_DESCRIPTION } from '../../../../src/core/kine/endpointCheck';
import { HISTORY_MIN_MESSAGES } from '../../../../src/core/kine/healthFindings';
import { KineBucket } from '../../../../src/core/kine/kineBucket';
import { parseDatastoreEndpoint } from '../../../../src/core/kine/parseDatastoreEndpoint';
import { KineFixtureWriter } from '../../../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../../../generators/kine/fixtureScenario';
import { startNatsCluster, type NatsCluster } from '../../../harness/natsCluster';
import { eventually, freePort, stopProcess, withTimeout } from '../../../harness/processes';
import { tools } from '../../../harness/tools';

const codes = (h: KineBucketHealth) => h.findings.map((f) => f.code);
const te = new TextEncoder();

describe('kine bucket health and the endpoint check on a 3-node JetStream cluster', function () {
  this.timeout(240_000);
  let cluster: NatsCluster;
  let nc: NatsConnection;
  const endpointFor = (query: string) => [`${cluster.urls[0]}?${query}`, ...cluster.urls.slice(1)].join(',');
  const allCurrent = async (bucket: string) =>
    eventually(`every replica of KV_${bucket} current`, async () => {
      const h = await bucketHealth(await KineBucket.open(nc, bucket));
      return h.placement?.leader && h.placement.replicas.every((r) => r.state === 'current') ? h : undefined;
    });

  // Just after the cluster starts, the meta leader may not yet count every peer ("no suitable peers"): try again.
  const createR3 = (bucket: string) =>
    eventually(`R3 bucket ${bucket} created`, () => KineFixtureWriter.create(nc, { bucket, replicas: 3 }), 60_000, 500);

  before(async () => {
    cluster = await startNatsCluster();
    nc = await connect({ servers: cluster.urls });
  });
  after(async () => {
    await nc?.close();
    await cluster?.stop();
  });

  it('an R3 bucket with every replica current has no findings', async () => {
    const w = await createR3('healthy');
    await writeReferenceScenario(w);
    const h = await allCurrent('healthy');
    assert.deepEqual(codes(h), []);
    assert.equal(h.clusterSize, 3);
    assert.equal(h.placement?.replicas.length, 3);
    assert.equal(h.allowDirect, true);
  });

  it('an R1 bucket on the 3-node cluster is flagged, naming the issue and the fix', async () => {
    const w = await KineFixtureWriter.create(nc, { bucket: 'single', replicas: 1 });
    await writeReferenceScenario(w);
    const h = await bucketHealth(await KineBucket.open(nc, 'single'));
    assert.deepEqual(codes(h), ['single-replica']);
    const f = h.findings[0];
    assert.equal(f.severity, 'warning');
    assert.match(f.seen, /1 replica on a cluster of 3 NATS servers/);
    assert.match(f.predicts, /kine#406/);
    assert.match(f.action, /replicas=3/);
  });

  it('a node killed with -9 shows its replica offline or behind; restarted, the findings clear', async () => {
    await writeReferenceScenario(await createR3('survivor'));
    const before = await allCurrent('survivor');
    const connectedTo = nc.info?.server_name;
    const victim = before.placement!.replicas.find((r) => !r.leader && r.name !== connectedTo)!.name;
    const node = cluster.nodes.find((n) => n.name === victim)!;
    await node.kill();
    try {
      // A request the server routes to the dead node goes unanswered: short API timeouts, and try again.
      const down = await eventually(
        `${victim} flagged`,
        async () => {
          const h = await bucketHealth(await KineBucket.open(nc, 'survivor', { apiTimeoutMs: 5_000 }));
          return h.findings.some((f) => f.code.startsWith('replica-') && f.seen.includes(victim)) ? h : undefined;
        },
        120_000,
      );
      const f = down.findings.find((x) => x.seen.includes(victim))!;
      assert.equal(f.severity, 'warning');
      assert.match(f.predicts, /kine#406/);
      assert.match(f.action, new RegExp(`Restart NATS server ${victim}|catch up`));
    } finally {
      await node.restart();
    }
    await cluster.waitHealthy(60_000);
    assert.deepEqual(codes(await allCurrent('survivor')), []);
  });

  describe('a bucket whose history dwarfs its live keys, its compaction revision far behind', () => {
    let h: KineBucketHealth;
    before(async () => {
      const w = await KineFixtureWriter.create(nc, { bucket: 'churn', history: 64 });
      await w.startup();
      await w.compact(5);
      const keys = Array.from({ length: 200 }, (_, i) => `/registry/leases/kube-node-lease/node-${i}`);
      await Promise.all(keys.map((k) => w.create(k, te.encode('{"v":0}'))));
      // Leases renewed over and over, as kubelets do: 200 keys, 60 revisions each.
      for (let round = 1; round < 60; round++)
        await Promise.all(keys.map((k) => w.update(k, te.encode(`{"v":${round}}`))));
      h = await bucketHealth(await KineBucket.open(nc, 'churn'));
    });

    it('flags the history against the live keys', () => {
      assert.ok(h.messages >= HISTORY_MIN_MESSAGES, `${h.messages} messages`);
      const f = h.findings.find((x) => x.code === 'history-heavy');
      assert.ok(f, codes(h).join(', '));
      assert.equal(f.severity, 'warning');
      assert.match(f.seen, /for 20[0-9] live keys/);
      assert.match(f.predicts, /kine#720/);
      assert.match(f.action, /revHistory/);
    });

    it('says the compaction revision is far behind the newest', () => {
      assert.equal(h.compactRevision, 5);
      assert.ok(h.compactedAt instanceof Date);
      // Written a moment ago: compaction runs, the gap is the write rate, said as an info with the churning writer.
      const f = h.findings.find((x) => x.code === 'compaction-behind');
      assert.ok(f, codes(h).join(', '));
      assert.equal(f.severity, 'info');
      assert.match(
        f.seen,
        new RegExp(
          `${h.newestRevision - 5} revisions behind the newest \\(${h.newestRevision}\\), last written 0 min ago`,
        ),
      );
    });
  });

  describe('the endpoint check', () => {
    const check = async (endpoint: string) => checkDatastoreEndpoint(parseDatastoreEndpoint(endpoint), {});
    const step = (r: Awaited<ReturnType<typeof check>>, code: string) => r.steps.find((s) => s.code === code);

    it('a missing bucket: says kine creates it and with which settings; R1 on 3 servers is a warning', async () => {
      const r = await check(endpointFor('bucket=absent'));
      assert.equal(step(r, 'reachable')?.level, 'ok');
      assert.equal(step(r, 'jetstream')?.level, 'ok');
      assert.match(step(r, 'cluster-size')!.message, /3 servers/);
      assert.match(step(r, 'bucket-missing')!.message, /history 10, 1 replica, file storage/);
      assert.equal(step(r, 'single-replica')?.level, 'warning');
      assert.ok(!r.steps.some((s) => s.level === 'error'), JSON.stringify(r.steps));
      const five = await check(endpointFor('bucket=absent&replicas=5'));
      assert.equal(step(five, 'replicas-above-cluster')?.level, 'error');
      // Prepare K3s Datastore proposes as many replicas as the cluster has servers (connect_urls lists them all).
      assert.equal((await inspectDatastoreTarget(nc, 'absent')).maxReplicas, 3);
    });

    it('kine creates the missing bucket with the settings the check announced', async () => {
      const endpoint = endpointFor('bucket=made&replicas=3&revHistory=5');
      const before = await check(endpoint);
      assert.match(step(before, 'bucket-missing')!.message, /history 5, 3 replicas/);
      const log = await runKine(endpoint, /Kine available at /);
      assert.match(log, /bucket initialized: made/);
      const c = (await (await jetstreamManager(nc)).streams.info('KV_made')).config;
      assert.deepEqual(
        [c.num_replicas, c.max_msgs_per_subject, c.description, c.allow_direct, c.storage],
        [3, 5, KINE_BUCKET_DESCRIPTION, true, 'file'],
      );
      const after = await check(endpoint);
      assert.equal(step(after, 'bucket-exists')?.level, 'ok');
      assert.ok(!after.steps.some((s) => s.level === 'error'), JSON.stringify(after.steps));
      // The bucket real kine wrote (its health key, R3, direct gets on) is healthy by every rule.
      const h = await allCurrent('made');
      assert.deepEqual(codes(h), []);
      assert.equal(h.liveKeys, 1, 'kine wrote /registry/health');
    });

    it('wrong replicas for an existing bucket: an error, and kine itself refuses to start with it', async () => {
      const endpoint = endpointFor('bucket=made&replicas=1&revHistory=5');
      const r = await check(endpoint);
      const differ = step(r, 'bucket-settings-differ');
      assert.equal(differ?.level, 'error');
      assert.match(differ!.message, /replicas 3 \(the endpoint says 1\)/);
      const log = await runKine(endpoint, /FATA|failed to initialize KV bucket/);
      assert.match(log, /failed to initialize KV bucket/);
    });
  });

  /** Runs real kine with the endpoint until its log matches `until` or it exits; returns the log, kine stopped. */
  async function runKine(endpoint: string, until: RegExp): Promise<string> {
    const port = await freePort();
    const child = spawn(
      tools().kine,
      ['--endpoint', endpoint, '--listen-address', `127.0.0.1:${port}`, '--metrics-bind-address', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: string[] = [];
    try {
      await withTimeout(
        new Promise<void>((resolve) => {
          for (const s of [child.stdout!, child.stderr!])
            createInterface({ input: s }).on('line', (l) => {
              lines.push(l);
              if (until.test(l)) resolve();
            });
          child.once('exit', () => resolve());
        }),
        60_000,
        `kine printed nothing matching ${until} within 60 s`,
      );
    } finally {
      await stopProcess(child);
    }
    return lines.join('\n');
  }
});
