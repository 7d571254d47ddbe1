import * as assert from 'node:assert/strict';
import { connect, type ConnectionOptions } from '@nats-io/transport-node';
import { KineBucket } from '../../../../src/core/kine/kineBucket';
import { KineFixtureWriter } from '../../../generators/kine/fixtureWriter';
import { generateKeyspace } from '../../../generators/kine/keyspaceGenerator';
import { startKillingProxy, type KillTrigger } from '../../../harness/killingProxy';
import { startNatsServer } from '../../../harness/natsServer';
import { withTimeout } from '../../../harness/processes';

describe('the kine key scan when the server goes away', function () {
  this.timeout(60_000);

  // The CLI connects without reconnecting; the extension's sessions reconnect forever. Either way the scan must end.
  const styles: [string, Partial<ConnectionOptions>][] = [
    ['without reconnects (the CLI)', { reconnect: false }],
    ['reconnecting forever (the extension)', { maxReconnectAttempts: -1, reconnectTimeWait: 200 }],
  ];
  // Mid-scan: the third chunk of deliveries (the consumer exists and the scan is under way when the server dies).
  // Before the create reply: the consumer's deliveries can come before its create reply, and a scan that waited for
  // the reply waited out the API timeout (a minute) while nats.js reconnected.
  const moments: [string, KillTrigger, (seen: number) => boolean][] = [
    ['mid-scan', { direction: 'down', contains: '$JS.ACK', skip: 2 }, (seen) => seen > 0 && seen < 2000],
    ['before the consumer create reply', { direction: 'down', contains: 'consumer_create_response' }, () => true],
  ];
  for (const [style, options] of styles)
    for (const [moment, trigger, underWay] of moments)
      it(`rejects with ConnectionLostError within seconds of a SIGKILL ${moment}, ${style}`, async () => {
        const server = await startNatsServer();
        let proxy: Awaited<ReturnType<typeof startKillingProxy>> | undefined;
        try {
          const writer = await connect({ servers: server.url });
          await generateKeyspace(await KineFixtureWriter.create(writer, { bucket: 'kine' }), { keys: 2000, seed: 3 });
          await writer.close();
          proxy = await startKillingProxy(server.port, server.pid, trigger);
          const nc = await connect({ servers: proxy.url, ...options });
          try {
            const b = await KineBucket.open(nc, 'kine');
            let seen = 0;
            const scan = b.scan('>', () => void seen++);
            const err = await withTimeout(
              scan.then(
                () => undefined,
                (e: unknown) => e,
              ),
              20_000,
              'the scan did not end',
            );
            assert.equal((err as Error | undefined)?.name, 'ConnectionLostError', String(err));
            assert.ok(proxy.killedAt() !== undefined, 'the server was killed');
            const after = Date.now() - proxy.killedAt()!;
            assert.ok(after < 3_000, `the scan ended ${after} ms after the kill`);
            assert.ok(underWay(seen), `the scan was under way (${seen} keys seen)`);
          } finally {
            await nc.close().catch(() => undefined);
          }
        } finally {
          await proxy?.stop();
          await server.stop();
        }
      });
});
