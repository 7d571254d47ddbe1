import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { runKineCommand } from '../../../src/cli/kineCommand';
import { topLevelText } from '../../../src/cli/kineOutput';
import { KineBucket } from '../../../src/core/kine/kineBucket';
import { listTopLevel } from '../../../src/core/kine/kineTree';
import { KineFixtureWriter } from '../../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../../generators/kine/fixtureScenario';
import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsServer, type NatsServer } from '../../harness/natsServer';

function capture() {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

describe('nats-k3s kine against a real nats-server', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await writeReferenceScenario(await KineFixtureWriter.create(nc));
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });
  const run = async (...args: string[]) => {
    const io = capture();
    const code = await runKineCommand([...args, '--server', server.url], io);
    return { code, ...io };
  };

  it('ls lists resource types, then keys under a prefix, deleted ones only with --deleted', async () => {
    const top = await run('ls');
    assert.equal(top.code, 0);
    assert.match(top.stdout, /^ +2 live +1 deleted {2}pods$/m);
    assert.match(top.stdout, /minions {2}\(cluster-scoped\)$/m);
    // Streamed line by line in text, and still the same lines as the exact level built in one piece.
    const exact = topLevelText(await listTopLevel(await KineBucket.open(nc, 'kine')));
    assert.equal(top.stdout, exact);
    const pods = await run('ls', '/registry/pods/default/', '--json');
    assert.deepEqual(
      JSON.parse(pods.stdout).map((e: { key: string }) => e.key),
      ['/registry/pods/default/nginx'],
    );
    const none = await run('ls', '/registry/nothing/');
    assert.deepEqual(
      [none.code, none.stdout, none.stderr],
      [0, '', 'No live keys under /registry/nothing/ (--deleted includes deleted ones).\n'],
    );
    const all = await run('ls', '--prefix', '/registry/pods/default/', '--deleted', '--json');
    assert.deepEqual(
      JSON.parse(all.stdout).map((e: { key: string; deleted: boolean }) => [e.key, e.deleted]),
      [
        ['/registry/pods/default/doomed', true],
        ['/registry/pods/default/nginx', false],
      ],
    );
  });

  it('get decodes an object, --history and history list its revisions, secrets stay hidden', async () => {
    const get = await run('get', '/registry/pods/default/nginx');
    assert.equal(get.code, 0);
    assert.match(get.stdout, /^state: +live$/m);
    assert.match(get.stdout, /^kind: +Pod$/m);
    const hist = await run('history', '/registry/pods/default/doomed', '--json');
    const revs = JSON.parse(hist.stdout);
    assert.deepEqual(
      revs.map((r: { operation: string; state: string }) => `${r.operation}/${r.state}`),
      ['PUT/live', 'PUT/deleted', 'DEL/deleted'],
    );
    const again = await run('get', '/registry/pods/default/doomed', '--history', '--json');
    assert.equal(JSON.parse(again.stdout).length, 3);
    const older = await run('get', '/registry/pods/default/doomed', '--revision', String(revs[0].revision), '--json');
    assert.equal(JSON.parse(older.stdout).state, 'live');
    const boot = await run('get', '/bootstrap/2f9c3a1b0d4e', '--json');
    assert.equal(JSON.parse(boot.stdout).value.hidden, true);
  });

  it('health prints the figures', async () => {
    const h = await run('health', '--json');
    assert.equal(h.code, 0);
    const v = JSON.parse(h.stdout);
    assert.equal(v.compactRevision, 5);
    assert.equal(v.report.stream, 'KV_kine');
    const text = await run('stats');
    assert.match(text.stdout, /^live keys: +\d+$/m);
  });

  it('endpoint --check inspects the server and the bucket, in sentences', async () => {
    const e = await run('endpoint', '--check', '--json');
    assert.equal(e.code, 0, e.stdout + e.stderr);
    const steps: { level: string; code: string; message: string }[] = JSON.parse(e.stdout).steps;
    assert.equal(steps.find((s) => s.code === 'bucket-exists')?.level, 'ok');
    assert.equal(steps.find((s) => s.code === 'jetstream')?.level, 'ok');
    const text = await run('endpoint', '--check');
    assert.match(text.stdout, /^OK {6}Bucket kine exists: 1 replica, history 10, \d+ messages\.$/m);
    assert.match(text.stdout, /^Verdict: nothing here would stop kine/m);
    assert.doesNotMatch(text.stdout, /[{}]/, 'sentences, not JSON');
  });

  it('exits 1 with one sentence for a missing bucket or key', async () => {
    const nb = await run('ls', '--bucket', 'nope');
    assert.equal(nb.code, 1);
    assert.equal(nb.stderr, "nats-k3s kine: There is no KV bucket 'nope' (stream KV_nope) on this server.\n");
    // A stream that is not a KV bucket was answered in the server's words ("consumer filter subject is not a valid
    // subset of the interest subjects" on 2.9); a plain stream's name is said to be one.
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'KV_fake', subjects: ['fake.>'] });
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'] });
    for (const command of [['ls'], ['ls', '/registry/pods/'], ['health'], ['history', '/registry/a']]) {
      const fake = await run(...command, '--bucket', 'fake');
      assert.equal(
        fake.stderr,
        'nats-k3s kine: Stream KV_fake is not a KV bucket: it stores fake.>, not $KV.fake.>, so it holds no kine keys. Check the bucket name.\n',
        command.join(' '),
      );
    }
    const stream = await run('ls', '--bucket', 'ORDERS');
    assert.equal(
      stream.stderr,
      "nats-k3s kine: There is no KV bucket 'ORDERS' (stream KV_ORDERS) on this server: 'ORDERS' is a stream, not a KV bucket. Name the KV bucket kine writes to (kine's default is kine).\n",
    );
    const nk = await run('get', '/registry/pods/default/ghost');
    assert.equal(nk.code, 1);
    assert.equal(nk.stderr, "nats-k3s kine: The bucket holds no key '/registry/pods/default/ghost'.\n");
  });
});
