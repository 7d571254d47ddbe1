import * as assert from 'node:assert/strict';
import { connect } from '@nats-io/transport-node';
import { KineFixtureWriter } from '../../generators/kine/fixtureWriter';
import { encodeEnvelope } from '../../../src/core/kine/envelope';
import { encodeS2StreamUncompressed } from '../../../src/core/kine/s2';
import { runCliBundle } from '../../harness/cliProcess';
import { startNatsServer, type NatsServer } from '../../harness/natsServer';

const te = new TextEncoder();
// Clears the screen, sets the terminal title, rings the bell.
const ATTACK = '\x1b[2J\x1b]0;pwned\x07';
const KEY = `/registry/configmaps/default/${ATTACK}`;
const TYPE_KEY = `/registry/${ATTACK}things/x`;
const NOTE_KEY = '/registry/notes/default/n';
/** Anything a terminal acts on, but newline and tab (the output's own line structure). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('nats-k3s kine prints control characters from the bucket escaped (the built bundle)', function () {
  this.timeout(60_000);
  let server: NatsServer;

  before(async () => {
    server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    try {
      const w = await KineFixtureWriter.create(nc);
      await w.create(
        KEY,
        te.encode(JSON.stringify({ kind: 'ConfigMap', data: { a: `red\x1b[31m \u009b2J \u202eexe.txt` } })),
      );
      await w.create(TYPE_KEY, te.encode('{}'));
      // Text as the decoder sees it (no C0 but tab, newline, CR, VT, FF): an 8-bit CSI clears the screen too.
      await w.create(NOTE_KEY, te.encode('line one\n\u009b2Jline two\rX\u202e'));
    } finally {
      await nc.close();
    }
  });
  after(async () => {
    await server?.stop();
  });

  const commands: (readonly string[])[] = [
    ['ls'],
    ['ls', '/registry/configmaps/default/'],
    ['get', KEY],
    ['history', KEY],
    ['health'],
    ['get', `/registry/configmaps/default/missing${ATTACK}`],
  ];
  for (const args of commands) {
    it(`kine ${JSON.stringify(args.join(' ')).slice(1, -1)}`, async () => {
      const r = await runCliBundle(['kine', ...args, '--server', server.url]);
      const printed = r.stdout + r.stderr;
      assert.doesNotMatch(printed, RAW_CONTROL);
      assert.ok(printed.includes('\\u001b[2J\\u001b]0;pwned\\u0007'), printed);
    });
  }

  it('a text value keeps its lines, indented so none passes for a field; CR, 8-bit CSI and bidi override are shown', async () => {
    const r = await runCliBundle(['kine', 'get', NOTE_KEY, '--server', server.url]);
    assert.doesNotMatch(r.stdout + r.stderr, RAW_CONTROL);
    assert.match(r.stdout, /^text: {11}line one\n {16}\\u009b2Jline two\\u000dX\\u202e$/m);
  });

  it('--json stays JSON and gives back the raw key; decode escapes too', async () => {
    const listed = await runCliBundle([
      'kine',
      'ls',
      '/registry/configmaps/default/',
      '--json',
      '--server',
      server.url,
    ]);
    assert.doesNotMatch(listed.stdout, RAW_CONTROL);
    assert.deepEqual(
      JSON.parse(listed.stdout).map((e: { key: string }) => e.key),
      [KEY],
    );
    const got = await runCliBundle(['kine', 'get', KEY, '--json', '--server', server.url]);
    assert.doesNotMatch(got.stdout, RAW_CONTROL);
    assert.equal(JSON.parse(got.stdout).value.json.data.a, 'red\x1b[31m \u009b2J \u202eexe.txt');
    const body = encodeS2StreamUncompressed(
      te.encode(encodeEnvelope({ key: KEY, value: te.encode(`${ATTACK}hello`), create: true })),
    );
    const decoded = await runCliBundle(['kine', 'decode'], { input: body });
    assert.equal(decoded.code, 0, decoded.stderr);
    assert.doesNotMatch(decoded.stdout, RAW_CONTROL);
    assert.match(decoded.stdout, /^key: +\/registry\/configmaps\/default\/\\u001b\[2J/m);
  });
});
