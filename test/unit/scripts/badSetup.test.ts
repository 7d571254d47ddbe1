import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNatsServer } from '../../harness/natsServer';
import { freePort } from '../../harness/processes';
import { repoRoot } from '../../harness/tools';
import { scratchSetup } from './scratchSetup';

/** A PATH holding only the named commands, taken from the real PATH: nothing else (no apt-get, no nats-server). */
function restrictedPath(dir: string, commands: string[]): string {
  for (const cmd of commands) {
    const found = spawnSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, join(dir, cmd));
  }
  return dir;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return spawnSync(cmd, args, {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
    const bin = restrictedPath(mkdtempSync(join(scratch, 'bin-')), [
      'bash',
      'dirname',
      'id',
      'mktemp',
      'cat',
      'rm',
      'tail',
      'grep',
      'uname',
    ]);
    const r = run(
      'bash',
      [scratchSetup(scratch)],
      { PATH: bin, NATS_K3S_CHROMIUM: join(scratch, 'no-chromium') },
      20_000,
    );
    assert.equal(r.status, 1);
    assert.match(
      lastLine(r.stderr),
      // make, g++ and python3 (native module builds) are outside this PATH too.
      /^setup: this machine has no apt-get; install (nats-server )?chromium( libkrb5-dev)? make g\+\+ python3 with your package manager \(.*\), then run this again\.$/,
    );
  });

  it('npm registry unreachable: says so instead of hanging', () => {
    // A registry address where nothing listens stands for a machine without network. It goes in the user's
    // .npmrc: setup hands nested npm runs no npm_config_* variables, so the files are where npm config lives.
    const home = join(scratch, 'home');
    mkdirSync(home);
    writeFileSync(join(home, '.npmrc'), `registry=http://127.0.0.1:9/\ncache=${join(scratch, 'npm-cache')}\n`);
    const r = run('bash', [scratchSetup(scratch)], { HOME: home, NATS_K3S_TOOLS: join(scratch, 'tools') }, 50_000);
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      lastLine(r.stderr),
      /^setup: installing Node 24\.\d+\.\d+ failed: the npm registry is not reachable from this machine; check the network, then run this again\.$/,
    );
  });

  it('Go missing or too old: says which Go the tools need', () => {
    const goTools = `. '${join(repoRoot, 'scripts', 'setup', 'common.sh')}' && . '${join(repoRoot, 'scripts', 'setup', 'go-tools.sh')}' && require_go`;
    const bin = restrictedPath(mkdtempSync(join(scratch, 'bin-')), ['sed', 'printf']);
    const none = spawnSync('/bin/bash', ['-c', goTools], {
      env: { PATH: bin },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(none.status, 1);
    assert.equal(
      none.stderr,
      'setup: the Go toolchain is missing: install Go 1.26 or newer (https://go.dev/doc/install, or your package manager), then run this again.\n',
    );
    writeFileSync(join(bin, 'go'), '#!/bin/sh\necho go1.19.8\n', { mode: 0o755 });
    const old = spawnSync('/bin/bash', ['-c', goTools], {
      env: { PATH: bin },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(old.status, 1);
    assert.equal(
      old.stderr,
      'setup: Go go1.19.8 is too old to build the test tools: install Go 1.26 or newer, then run this again.\n',
    );
  });

  it('Go module proxy unreachable: says so instead of hanging', () => {
    // An empty module cache and a proxy address where nothing listens stand for a machine without network.
    const script = `. scripts/setup/common.sh && . scripts/setup/go-tools.sh && build_go_tool nats-server "" nats-server=github.com/nats-io/nats-server/v2`;
    const r = spawnSync('bash', ['-c', script], {
      cwd: repoRoot,
      env: {
        ...process.env,
        repo: repoRoot,
        tools: join(scratch, 'tools'),
        GOPROXY: 'http://127.0.0.1:9',
        GOMODCACHE: join(scratch, 'gomod'),
      },
      encoding: 'utf8',
      timeout: 50_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      lastLine(r.stderr),
      'setup: building github.com/nats-io/nats-server/v2 failed: the Go module proxy (http://127.0.0.1:9) is not reachable from this machine; check the network, then run this again.',
    );
  });

  it('the demo port is taken: names the port and the way out', async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const child = spawn(process.execPath, [join(repoRoot, 'out', 'scripts', 'demo.js')], {
        env: { ...process.env, NATS_K3S_DEMO_PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 1);
      assert.equal(
        stderr,
        `npm start: Port ${port} on 127.0.0.1 is already in use: stop what uses it, or run with NATS_K3S_DEMO_PORT set to a free port.\n`,
      );
    } finally {
      holder.close();
    }
  });

  it('nats-server missing: the harness says how to install it', async () => {
    const saved = process.env.NATS_K3S_NATS_SERVER;
    process.env.NATS_K3S_NATS_SERVER = join(scratch, 'nats-server');
    try {
      await assert.rejects(startNatsServer(), {
        message: `nats-server is not installed (${join(scratch, 'nats-server')} is missing): run 'npm run setup' or 'apt-get install nats-server'.`,
      });
      process.env.NATS_K3S_NATS_SERVER = 'nats-server-not-on-path';
      await assert.rejects(startNatsServer(), {
        message: "nats-server is not installed: run 'npm run setup' or 'apt-get install nats-server'.",
      });
    } finally {
      if (saved === undefined) delete process.env.NATS_K3S_NATS_SERVER;
      else process.env.NATS_K3S_NATS_SERVER = saved;
    }
  });
});
