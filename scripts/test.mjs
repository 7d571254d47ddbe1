// `npm test` after setup: build, type-check, package, then the test layers in order. Every layer runs even when
// an earlier one failed, so one run shows everything; the last line counts all layers: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

// Plain text when the output is a file or a pipe (CI logs); npm scripts otherwise pass FORCE_COLOR down.
const env = process.stdout.isTTY ? process.env : { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };

function step(title, cmd, args, extraEnv = {}) {
  console.log(`\n== ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  return r.status === 0;
}

const prepared =
  step('build (esbuild)', process.execPath, ['scripts/build.mjs']) &&
  step('type-check (tsc --noEmit)', bin('tsc'), ['--noEmit', '-p', '.']) &&
  step('lint and format check (biome ci)', bin('biome'), ['ci', '.']) &&
  step('package (vsce)', bin('vsce'), [
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--no-rewrite-relative-links',
    '-o',
    'nats-k3s.vsix',
  ]);
if (!prepared) {
  console.log('\nThe build, type check, lint or packaging failed (see above); no test layer ran.\n0 passed, 1 failed');
  process.exit(1);
}

// out/tools.json (written by setup) names the servers: the integration layer runs on the nats-server the chart
// deploys, then again on Debian's 2.9.10, the oldest version supported.
const tools = JSON.parse(readFileSync(join(root, 'out', 'tools.json'), 'utf8'));
const layers = [
  ['unit', ['out/test/harness/runMochaLayer.js', 'unit']],
  [
    `integration (nats-server ${tools.natsServerVersion}, 3-node cluster, helm v3 and v4)`,
    ['out/test/harness/runMochaLayer.js', 'integration'],
  ],
  // The files on the control plane are left out: it runs the chart's nats-server whatever the pass.
  [
    `integration compatibility pass (nats-server ${tools.natsServerOldestVersion})`,
    ['out/test/harness/runMochaLayer.js', 'integration'],
    { NATS_K3S_NATS_SERVER: tools.natsServerOldest, NATS_K3S_WITHOUT_STACK: '1' },
  ],
  ['extension host (code-server, VS Code 1.139.1)', ['out/test/harness/runHostLayer.js']],
  ['UI end-to-end (Playwright, Chromium, the .vsix)', ['out/test/harness/runMochaLayer.js', 'ui']],
];

const scratch = mkdtempSync(join(tmpdir(), 'nats-k3s-test-'));
const summary = [];
let passed = 0;
let failed = 0;
let pending = 0;
for (const [i, [title, args, layerEnv]] of layers.entries()) {
  const countsFile = join(scratch, `layer-${i}.json`);
  const ok = step(`layer ${i + 1}/${layers.length}: ${title}`, process.execPath, [...args, countsFile], layerEnv);
  const counts = existsSync(countsFile) ? JSON.parse(readFileSync(countsFile, 'utf8')) : { passed: 0, failed: 1 };
  // A layer that exits non-zero without reporting a failure still fails the run.
  if (!ok && counts.failed === 0) counts.failed = 1;
  passed += counts.passed;
  failed += counts.failed;
  pending += counts.pending ?? 0;
  summary.push(`  ${title}: passed ${counts.passed}, failed ${counts.failed}, pending ${counts.pending ?? 0}`);
}
rmSync(scratch, { recursive: true, force: true });

console.log(`\n${summary.join('\n')}`);
// The layers refuse pending (skipped) tests (forbidPending); any that got through counts as a failure, so none hides.
if (pending > 0) console.log(`${pending} pending test(s) count as failed: a test left skipped is not a test.`);
failed += pending;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
