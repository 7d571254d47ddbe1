import * as assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { KineFixtureWriter } from '../../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../../generators/kine/fixtureScenario';
import { generateKeyspace } from '../../generators/kine/keyspaceGenerator';
import { runCliBundle } from '../../harness/cliProcess';
import { startKillingProxy, type KillTrigger } from '../../harness/killingProxy';
import { startNatsServer } from '../../harness/natsServer';
import { startSilentServer } from '../../harness/silentServer';

// Every kine command that talks to NATS, as a user types it.
const NETWORK_COMMANDS: readonly (readonly string[])[] = [
  ['ls'],
  ['ls', '/registry/pods/'],
  ['get', '/registry/pods/default/nginx'],
  ['history', '/registry/pods/default/nginx'],
  ['health'],
  ['endpoint', '--check'],
];

describe('nats-k3s kine exits within seconds when the server fails it (the built bundle)', function () {
  this.timeout(120_000);

  it('on a port that accepts and never speaks NATS: the timeout sentence after 5 s, then exit 1', async () => {
    const silent = await startSilentServer();
    try {
      // The endpoint check reports an unreachable server as its finding, on stdout, with the check's exit status 3.
      const check = await runCliBundle(['kine', 'endpoint', '--check', silent.url], { killAfterMs: 15_000 });
      assert.equal(check.code, 3, check.stderr);
      assert.match(check.stdout, /is not reachable: 127\.0\.0\.1:\d+ accepted no NATS connection within 5000 ms\./);
      assert.ok(check.ms < 8_000, `'kine endpoint --check' took ${check.ms} ms`);
      const runs = await Promise.all(
        NETWORK_COMMANDS.filter((args) => args[0] !== 'endpoint').map((args) =>
          runCliBundle(['kine', ...args, '--server', silent.url], { killAfterMs: 15_000 }),
        ),
      );
      for (const [i, r] of runs.entries()) {
        const what = NETWORK_COMMANDS.filter((args) => args[0] !== 'endpoint')[i].join(' ');
        assert.equal(r.killed, false, `'kine ${what}' had not exited after 15 s (it printed: ${r.stderr.trim()})`);
        assert.equal(r.code, 1, what);
        assert.equal(
          r.stderr,
          `nats-k3s kine: Timed out talking to 127.0.0.1:${silent.port}: the host is unreachable, the port is not a NATS port, or the server wants a client certificate.\n`,
          what,
        );
        assert.ok(r.ms < 8_000, `'kine ${what}' took ${r.ms} ms`);
      }
      await silent.whenOpen(0, 1_000);
    } finally {
      await silent.stop();
    }
  });

  // Killed as the command starts talking JetStream, and killed while a key scan's deliveries are on their way.
  const kills: [string, readonly (readonly string[])[], KillTrigger, number][] = [
    ['at its first JetStream request', NETWORK_COMMANDS, { direction: 'up', contains: '$JS.API.' }, 0],
    ['in the middle of the key scan', [['ls'], ['health']], { direction: 'down', contains: '$JS.ACK', skip: 2 }, 2000],
  ];
  for (const [when, commands, trigger, keys] of kills) {
    for (const args of commands) {
      it(`kine ${args.join(' ')}: nats-server SIGKILLed ${when} is said in one sentence within 3 s`, async () => {
        const server = await startNatsServer();
        const proxy = await startKillingProxy(server.port, server.pid, trigger).catch(async (err: unknown) => {
          await server.stop();
          throw err;
        });
        try {
          const nc = await connect({ servers: server.url });
          const writer = await KineFixtureWriter.create(nc);
          await writeReferenceScenario(writer);
          if (keys) await generateKeyspace(writer, { keys, seed: 5 });
          await nc.close();
          const r = await runCliBundle(['kine', ...args, '--server', proxy.url], { killAfterMs: 30_000 });
          assert.ok(proxy.killedAt() !== undefined, `the server was not killed (exit ${r.code}: ${r.stderr.trim()})`);
          const after = r.exitedAt - proxy.killedAt()!;
          assert.equal(r.killed, false, 'it never exited');
          assert.equal(r.code, 1, r.stdout + r.stderr);
          assert.match(
            r.stderr,
            /^nats-k3s kine: Lost the connection to 127\.0\.0\.1:\d+( during the key scan of KV_kine)?: the server stopped or closed it\. Check that it is running, then try again\.\n$/,
          );
          assert.ok(after < 3_000, `it exited ${after} ms after the kill`);
        } finally {
          await proxy.stop();
          await server.stop();
        }
      });
    }
  }
});
