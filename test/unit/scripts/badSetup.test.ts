import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer } from '../../harness/natsServer';
import { freePort } from '../../harness/processes';
import { repoRoot } from '../../harness/tools';

const setup = join(repoRoot, 'scripts', 'setup.sh');

/** A PATH holding only the named commands, taken from the real PATH: nothing else (no apt-get, no nats-server). */
function restrictedPath(dir: string, commands: string[]): string {
  for (const cmd of commands) {
    const found = spawnSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, join(dir, cmd));
  }
  return dir;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

describe('bad set-up gets one plain sentence and a non-zero exit', function () {
  this.timeout(60_000);
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'nk3s-setup-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('no apt-get and packages missing: says what to install', () => {
    const bin = restrictedPath(mkdtempSync(join(scratch, 'bin-')), ['bash', 'dirname', 'id', 'mktemp', 'cat', 'rm', 'tail', 'grep']);
    const r = run('bash', [setup], { PATH: bin, NATS_K3S_CHROMIUM: join(scratch, 'no-chromium') }, 20_000);
    assert.equal(r.status, 1);
    assert.match(
      lastLine(r.stderr),
      /^setup: this machine has no apt-get; install nats-server chromium( libkrb5-dev)? with your package manager \(.*\), then run this again\.$/,
    );
  });

  it('npm registry unreachable: says so instead of hanging', () => {
    // A registry address where nothing listens stands for a machine without network.
    const r = run('bash', [setup], { NATS_K3S_TOOLS: join(scratch, 'tools'), npm_config_registry: 'http://127.0.0.1:9/', npm_config_cache: join(scratch, 'npm-cache') }, 50_000);
    assert.equal(r.status, 1, r.stderr);
    assert.match(lastLine(r.stderr), /^setup: installing node@24\.21\.0 failed: the npm registry is not reachable from this machine; check the network, then run this again\.$/);
  });

  it('the demo port is taken: names the port and the way out', async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const child = spawn(process.execPath, [join(repoRoot, 'out', 'scripts', 'demo.js')], { env: { ...process.env, NATS_K3S_DEMO_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1);
      assert.equal(stderr, `npm start: Port ${port} on 127.0.0.1 is already in use: stop what uses it, or run with NATS_K3S_DEMO_PORT set to a free port.\n`);
    } finally {
      holder.close();
    }
  });

  it('nats-server missing: the harness says how to install it', async () => {
    const saved = process.env.NATS_K3S_NATS_SERVER;
    process.env.NATS_K3S_NATS_SERVER = join(scratch, 'nats-server');
    try {
      await assert.rejects(startNatsServer(), { message: `nats-server is not installed (${join(scratch, 'nats-server')} is missing): run 'npm run setup' or 'apt-get install nats-server'.` });
      process.env.NATS_K3S_NATS_SERVER = 'nats-server-not-on-path';
      await assert.rejects(startNatsServer(), { message: "nats-server is not installed: run 'npm run setup' or 'apt-get install nats-server'." });
    } finally {
      if (saved === undefined) delete process.env.NATS_K3S_NATS_SERVER;
      else process.env.NATS_K3S_NATS_SERVER = saved;
    }
  });
});
