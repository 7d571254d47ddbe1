import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../harness/tools';
import { scratchSetup } from './scratchSetup';

// What `npm test` exports to scripts/setup.sh. A nested npm reads npm_config_* as its own configuration, so
// code-server's postinstall read "node/v20" from npm_config_user_agent and refused to install on a fresh machine.
const outerNpmEnv = {
  npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'bash scripts/setup.sh && node scripts/test.mjs',
  npm_package_name: 'nats-k3s',
  npm_node_execpath: '/usr/bin/node',
  INIT_CWD: repoRoot,
};

function envLines(text: string): Map<string, string> {
  return new Map(
    text
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe("setup runs nested npm without the outer npm run's environment", function () {
  this.timeout(30_000);
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'nk3s-npmenv-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('npm_clean drops npm_*, INIT_CWD and node_modules/.bin, and keeps what it is given', () => {
    const r = spawnSync(
      'bash',
      ['-c', `. scripts/setup/common.sh && npm_clean PATH="/n24/bin:$PATH" npm_config_nodedir=/n24 env`],
      {
        cwd: repoRoot,
        env: { ...process.env, ...outerNpmEnv, PATH: `${repoRoot}/node_modules/.bin:/usr/local/bin:/usr/bin:/bin` },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    assert.equal(r.status, 0, r.stderr);
    const env = envLines(r.stdout);
    assert.deepEqual(
      [...env.keys()].filter((k) => /^npm_|^INIT_CWD$/.test(k)),
      ['npm_config_nodedir'],
    );
    assert.equal(env.get('npm_config_nodedir'), '/n24');
    assert.equal(env.get('PATH'), '/n24/bin:/usr/local/bin:/usr/bin:/bin');
  });

  it('setup.sh, started as npm starts it, gives the nested npm a clean environment', () => {
    // A stand-in npm first on PATH records the environment it was given and fails, which stops setup right there.
    const bin = join(scratch, 'bin');
    mkdirSync(bin);
    const seen = join(scratch, 'seen-env');
    writeFileSync(join(bin, 'npm'), `#!/bin/sh\nenv > '${seen}'\nexit 1\n`);
    chmodSync(join(bin, 'npm'), 0o755);
    const r = spawnSync('bash', [scratchSetup(scratch)], {
      env: {
        ...process.env,
        ...outerNpmEnv,
        PATH: `${bin}:${process.env.PATH}`,
        NATS_K3S_TOOLS: join(scratch, 'tools'),
      },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /setup: installing Node 24\.\d+\.\d+ failed \(see the lines above\)\.\n$/);
    const env = envLines(readFileSync(seen, 'utf8'));
    for (const name of Object.keys(outerNpmEnv))
      assert.equal(env.get(name), undefined, `${name} reached the nested npm`);
  });

  it('every npm that setup runs goes through npm_clean', () => {
    const dir = join(repoRoot, 'scripts');
    const files = ['setup.sh', ...readdirSync(join(dir, 'setup')).map((f) => join('setup', f))];
    for (const file of files) {
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*#/.test(line) || !/\bnpm (ci|i|install)\b/.test(line)) return;
          assert.match(line, /npm_clean\b.*\bnpm (ci|i|install)\b/, `${file}:${i + 1} runs npm without npm_clean`);
        });
    }
  });
});
