// The bundled `nats-k3s` (dist/cli.js) run as its users run it, against nats-servers that require a user and password
// or a token: the secret comes from NATS_PASSWORD / NATS_TOKEN (the nats CLI's names) or a file, never the command
// line, which every local user can read in the process list. A refused secret ends in one sentence without it.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { KineFixtureWriter } from '../../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../../generators/kine/fixtureScenario';
import { writeNatsConfig, type NatsConfigFile } from '../../harness/natsConfig';
import { startNatsServer, type NatsServer } from '../../harness/natsServer';
import { repoRoot } from '../../harness/tools';

const CLI = join(repoRoot, 'dist', 'cli.js');
const PASSWORD = `pa55-${randomBytes(8).toString('hex')}`;
const TOKEN = `t0ken-${randomBytes(8).toString('hex')}`;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in a process of its own, with no NATS_* variable but those given. */
function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('NATS_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'kine', ...args],
      { env: { ...base, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('nats-k3s kine with the secret in the environment or a file, against servers that require it', function () {
  this.timeout(60_000);
  const confs: NatsConfigFile[] = [];
  let byUser: NatsServer;
  let byToken: NatsServer;
  let dir: string;

  before(async () => {
    confs.push(
      writeNatsConfig(`authorization { users = [ { user: alice, password: "${PASSWORD}" } ] }\n`),
      writeNatsConfig(`authorization { token: "${TOKEN}" }\n`),
    );
    byUser = await startNatsServer({ extraArgs: confs[0]!.args });
    byToken = await startNatsServer({ extraArgs: confs[1]!.args });
    for (const [server, auth] of [
      [byUser, { user: 'alice', pass: PASSWORD }],
      [byToken, { token: TOKEN }],
    ] as const) {
      const nc = await connect({ servers: server.url, ...auth });
      try {
        await writeReferenceScenario(await KineFixtureWriter.create(nc));
      } finally {
        await nc.close();
      }
    }
    dir = mkdtempSync(join(tmpdir(), 'nk3s-cli-secrets-'));
  });
  after(async () => {
    await byUser?.stop();
    await byToken?.stop();
    for (const c of confs) c.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the user and password from NATS_USER and NATS_PASSWORD', async () => {
    const r = await cli(['ls', '--server', byUser.url], { NATS_USER: 'alice', NATS_PASSWORD: PASSWORD });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^ +2 live +1 deleted {2}pods$/m);
  });

  it('reads the token from NATS_TOKEN', async () => {
    const r = await cli(['get', '/registry/pods/default/nginx', '--server', byToken.url], { NATS_TOKEN: TOKEN });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^kind: +Pod$/m);
  });

  it('reads the password from --password-file, the newline an editor adds dropped', async () => {
    const file = join(dir, 'password');
    writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 });
    const r = await cli(['health', '--json', '--server', byUser.url, '--user', 'alice', '--password-file', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).report.stream, 'KV_kine');
  });

  it('a refused password ends in one sentence that does not repeat it; a flag wins over the environment', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const r = await cli(['ls', '--server', byUser.url], { NATS_USER: 'alice', NATS_PASSWORD: wrong });
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `nats-k3s kine: Authorization failed on 127.0.0.1:${byUser.port}: the server rejected the credentials. Check the user, password, token or creds file.\n`,
    );
    assert.equal(r.stdout, '');
    const flag = await cli(['ls', '--server', byUser.url, '--password', wrong], {
      NATS_USER: 'alice',
      NATS_PASSWORD: PASSWORD,
    });
    assert.equal(flag.code, 1);
    assert.ok(!flag.stderr.includes(wrong) && !flag.stderr.includes(PASSWORD), flag.stderr);
  });
});
