import * as assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { KineFixtureWriter } from '../../generators/kine/fixtureWriter';
import { canMeasureMemory, runCliBundle, type CliRun } from '../../harness/cliProcess';
import { startNatsServer, type NatsServer } from '../../harness/natsServer';
import { fanOutPodValue, kineMessage } from '../../unit/core/kine/hostileValues';

const KEY = '/registry/pods/default/bomb';
const MAX_PEAK_BYTES = 300 * 1024 * 1024;
const MAX_OUTPUT = 8 * 1024 * 1024;

/**
 * Where GNU time is missing, the heap is capped instead: an overrun then makes Node abort, which fails the exit-code
 * check (the RSS figure is the better witness: it counts buffers outside the heap).
 */
function memoryOptions() {
  return canMeasureMemory() ? { measureMemory: true } : { nodeArgs: ['--max-old-space-size=300'] };
}

function assertBounded(r: CliRun, what: string): void {
  assert.equal(r.code, 0, `${what}: ${r.stderr.slice(0, 500)}`);
  assert.ok(r.stdout.length < MAX_OUTPUT, `${what} printed ${r.stdout.length} bytes`);
  assert.ok(
    r.peakRssBytes === undefined || r.peakRssBytes < MAX_PEAK_BYTES,
    `${what} peaked at ${Math.round((r.peakRssBytes ?? 0) / 1048576)} MiB`,
  );
}

describe('nats-k3s kine on a message built to blow the decoder up (the built bundle)', function () {
  this.timeout(120_000);
  // About a kilobyte on the wire; six million protobuf fields once unpacked.
  const message = kineMessage(KEY, fanOutPodValue(1000, 6000));
  let server: NatsServer | undefined;

  after(async () => {
    await server?.stop();
  });

  it('decode prints the first 20,000 nodes and where it cut, under 300 MB, in text and JSON', async () => {
    assert.ok(message.length < 2_000);
    const text = await runCliBundle(['kine', 'decode'], { input: message, ...memoryOptions() });
    assertBounded(text, 'decode');
    assert.match(
      text.stdout,
      /^cut: +Cut at field 2\.1 after 1,995 fields: 4,005 more fields not shown \(at most 20,000 nodes per value\)\.$/m,
    );
    const json = await runCliBundle(['kine', 'decode', '--json'], { input: message, ...memoryOptions() });
    assertBounded(json, 'decode --json');
    assert.match(JSON.parse(json.stdout).value.cut, /^Cut at field 2\.1 /);
  });

  it('get reads it from a bucket with the same bounds', async () => {
    server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    try {
      const writer = await KineFixtureWriter.create(nc);
      await writer.kv.put(writer.kvKey(KEY), message);
    } finally {
      await nc.close();
    }
    const r = await runCliBundle(['kine', 'get', KEY, '--server', server.url], memoryOptions());
    assertBounded(r, 'get');
    assert.match(r.stdout, /^kind: +Pod$/m);
    assert.match(r.stdout, /^cut: +Cut at field 2\.1 /m);
  });
});
