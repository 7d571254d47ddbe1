import * as assert from 'node:assert/strict';
import { connect, type ConnectionOptions } from '@nats-io/transport-node';
import { runKineCommand } from '../../../src/cli/kineCommand';
import { KineFixtureWriter } from '../../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../../generators/kine/fixtureScenario';
import { writeNatsConfig, type NatsConfigFile } from '../../harness/natsConfig';
import { startNatsServer, type NatsServer } from '../../harness/natsServer';

const KEY = '/registry/pods/default/nginx';
// A password that needs percent-encoding in a URL.
const PASSWORD = 'p@ss:w/rd';

async function kine(...args: string[]) {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  const code = await runKineCommand(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** Every kine command that connects, as a user types it. */
const COMMANDS: readonly (readonly string[])[] = [
  ['ls'],
  ['ls', '/registry/pods/'],
  ['get', KEY],
  ['history', KEY],
  ['health'],
];

async function assertAllWork(what: string, auth: readonly string[]): Promise<void> {
  for (const args of COMMANDS) {
    const r = await kine(...args, ...auth);
    assert.equal(r.code, 0, `kine ${args.join(' ')} with ${what}: ${r.stderr}`);
  }
}

describe('nats-k3s kine against nats-servers that want credentials', function () {
  this.timeout(60_000);
  const started: { server: NatsServer; conf: NatsConfigFile }[] = [];

  async function serverWith(config: string, writerAuth: Partial<ConnectionOptions>): Promise<NatsServer> {
    const conf = writeNatsConfig(config);
    const server = await startNatsServer({ extraArgs: conf.args });
    started.push({ server, conf });
    const nc = await connect({ servers: server.url, ...writerAuth });
    try {
      await writeReferenceScenario(await KineFixtureWriter.create(nc));
    } finally {
      await nc.close();
    }
    return server;
  }

  after(async () => {
    for (const { server, conf } of started) {
      await server.stop();
      conf.remove();
    }
  });

  it('user and password: from the flags, from the URL, and from the endpoint that `kine endpoint` prints', async () => {
    const server = await serverWith(`authorization { users = [ { user: alice, password: "${PASSWORD}" } ] }\n`, {
      user: 'alice',
      pass: PASSWORD,
    });
    const host = `127.0.0.1:${server.port}`;
    await assertAllWork('--user and --password', ['--server', server.url, '--user', 'alice', '--password', PASSWORD]);
    await assertAllWork('URL credentials', ['--server', `nats://alice:${encodeURIComponent(PASSWORD)}@${host}`]);
    const endpoint = await kine('endpoint', '--server', host, '--user', 'alice', '--password', PASSWORD, '--json');
    const value: string = JSON.parse(endpoint.stdout).endpoint;
    assert.equal(value, `nats://alice:${encodeURIComponent(PASSWORD)}@${host}`);
    await assertAllWork('the printed endpoint', ['--server', value]);
    // kine sends the URL's user info to NATS still percent-encoded (checked against kine 0.17.5 itself), so a
    // password that needs encoding fails there; the builder and the check both say so.
    const built = JSON.parse(endpoint.stdout).warnings.find((w: { code: string }) => w.code === 'encoded-credentials');
    assert.equal(built?.level, 'error');
    const check = await kine('endpoint', '--check', value);
    assert.equal(check.code, 3, check.stdout + check.stderr);
    assert.match(check.stdout, /^WARNING The credentials have characters kine sends to NATS percent-encoded/m);
    assert.match(check.stdout, /^ERROR {3}The server rejected the credentials of the endpoint/m);
    assert.ok(!check.stdout.includes(PASSWORD) && !check.stdout.includes(encodeURIComponent(PASSWORD)));
    // The flags win over the URL; a wrong password is blamed, a missing one is asked for.
    const wrong = await kine('ls', '--server', value, '--user', 'alice', '--password', 'nope');
    assert.equal(wrong.code, 1);
    assert.equal(
      wrong.stderr,
      `nats-k3s kine: Authorization failed on ${host}: the server rejected the credentials. Check the user, password, token or creds file.\n`,
    );
    const none = await kine('ls', '--server', server.url);
    assert.equal(
      none.stderr,
      `nats-k3s kine: Authorization failed on ${host}: the server wants credentials and none were given. Pass --user with --password, --token, or --creds; set NATS_USER with NATS_PASSWORD, NATS_TOKEN or NATS_CREDS; or put user:password@ before the host in --server.\n`,
    );
  });

  it('a token: from --token and from nats://TOKEN@host, and a bucket from ?bucket=', async () => {
    const server = await serverWith('authorization { token: "t0k3n" }\n', { token: 't0k3n' });
    const host = `127.0.0.1:${server.port}`;
    await assertAllWork('--token', ['--server', server.url, '--token', 't0k3n']);
    await assertAllWork('a URL token', ['--server', `nats://t0k3n@${host}`]);
    const check = await kine('endpoint', '--check', `nats://t0k3n@${host}`);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /^OK {6}The server accepted the credentials\.$/m);
    assert.ok(!check.stdout.includes('t0k3n'));
    const wrong = await kine('endpoint', '--check', `nats://nope@${host}`);
    assert.equal(wrong.code, 3);
    assert.match(wrong.stdout, /^ERROR {3}The server rejected the credentials of the endpoint/m);
    const none = await kine('endpoint', '--check', `nats://${host}`);
    assert.match(none.stdout, /^ERROR {3}The server wants credentials and the endpoint has none/m);
    const other = await kine('ls', '--server', `nats://t0k3n@${host}?bucket=elsewhere`);
    assert.equal(
      other.stderr,
      "nats-k3s kine: There is no KV bucket 'elsewhere' (stream KV_elsewhere) on this server.\n",
    );
  });

  it('refuses clashing credentials before connecting, in one sentence', async () => {
    for (const [args, sentence] of [
      [['--token', 't', '--user', 'u'], 'Give either a token or a user and password, not both.'],
      [['--password', 'p'], '--password needs --user.'],
      [['--creds', '/nonexistent.creds', '--user', 'u'], 'Give either --creds or a user, password or token, not both.'],
    ] as const) {
      const r = await kine('ls', '--server', 'nats://127.0.0.1:1', ...args);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.split('\n')[0], `nats-k3s kine: ${sentence} Run 'nats-k3s kine --help'.`);
    }
  });
});
