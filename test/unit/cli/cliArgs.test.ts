import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { runKineCommand } from '../../../src/cli/kineCommand';
import { runLintCommand } from '../../../src/cli/lintCommand';
import { runCli } from '../../../src/cli/main';
import { runMigrateCommand } from '../../../src/cli/migrateCommand';
import { repoRoot } from '../../harness/tools';

type Run = (args: readonly string[], io: { out(t: string): void; err(t: string): void }) => Promise<number>;

async function run(fn: Run, args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  const o = { out: '', err: '' };
  const code = await fn(args, { out: (t) => void (o.out += t), err: (t) => void (o.err += t) });
  return { code, ...o };
}

/** Relative imports of each file under src/cli (type-only ones too: a cycle of types is still a cycle to read). */
function cliImportGraph(): Map<string, string[]> {
  const dir = join(repoRoot, 'src', 'cli');
  const files = [
    join(repoRoot, 'src', 'cli.ts'),
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(dir, f)),
  ];
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = [...readFileSync(file, 'utf8').matchAll(/(?:import|export)\b[^;]*?from\s*'(\.[^']+)'/g)].map(
      (m) => `${resolve(dirname(file), m[1])}.ts`,
    );
    graph.set(
      file,
      targets.filter((t) => files.includes(t)),
    );
  }
  return graph;
}

function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    if (state.get(node) === 'done') return undefined;
    state.set(node, 'open');
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the CLI argument parser (node:util parseArgs behind every command)', () => {
  const cases: [string, Run, readonly string[], RegExp][] = [
    ['nats-k3s', runCli, ['--frob'], /^nats-k3s: unknown option '--frob'\.\nUsage: nats-k3s <command> \[options\]\n$/],
    ['lint', runLintCommand, ['--frob', 'f.yaml'], /^nats-k3s lint: unknown option '--frob'\.\nUsage: nats-k3s lint /],
    ['lint', runLintCommand, ['f.yaml', '--format'], /^nats-k3s lint: --format needs a value\.\nUsage: nats-k3s lint /],
    [
      'migrate',
      runMigrateCommand,
      ['--frob', 'f.yaml'],
      /^nats-k3s migrate: unknown option '--frob'\.\nUsage: nats-k3s migrate /,
    ],
    [
      'migrate',
      runMigrateCommand,
      ['f.yaml', '-o'],
      /^nats-k3s migrate: -o \(--output\) needs a value\.\nUsage: nats-k3s migrate /,
    ],
    [
      'kine',
      runKineCommand,
      ['ls', '--frob'],
      /^nats-k3s kine: unknown option '--frob'\. Run 'nats-k3s kine --help'\.\nUsage: nats-k3s kine <command> \[options\]\n$/,
    ],
    [
      'kine',
      runKineCommand,
      ['ls', '--server'],
      /^nats-k3s kine: --server needs a value\. Run 'nats-k3s kine --help'\.\nUsage: nats-k3s kine /,
    ],
    ['kine', runKineCommand, ['ls', '--json=yes'], /^nats-k3s kine: --json takes no value\. /],
    [
      'kine',
      runKineCommand,
      ['get', 'k', '--password', '--json'],
      /^nats-k3s kine: --password needs a value \(write --password=VALUE for one that starts with '-'\)\. /,
    ],
  ];
  for (const [name, fn, args, expected] of cases) {
    it(`${name} ${args.join(' ')}: one sentence and the usage line, exit 2`, async () => {
      const r = await run(fn, args);
      assert.equal(r.code, 2);
      assert.equal(r.out, '');
      assert.match(r.err, expected);
      assert.equal(r.err.trimEnd().split('\n').length, 2, r.err);
    });
  }

  it('keeps --opt=value, -- before a positional that starts with a dash, and options before the command', async () => {
    assert.equal((await run(runKineCommand, ['endpoint', '--server=nats://10.0.0.5:4222', '--json'])).code, 0);
    const missing = await run(runLintCommand, ['--', '-not-an-option.yaml']);
    assert.match(missing.err, /^nats-k3s lint: cannot read -not-an-option\.yaml/);
    assert.match((await run(runCli, ['-V'])).out, /^nats-k3s \d/);
    assert.match((await run(runCli, ['--help', 'lint'])).out, /^nats-k3s: the command-line companion/);
  });

  it('src/cli has no import cycle (main imports the commands; they share cliIo and cliArgs)', () => {
    const cycle = findCycle(cliImportGraph());
    assert.equal(cycle, undefined, `import cycle: ${cycle?.map((f) => f.slice(repoRoot.length + 1)).join(' → ')}`);
  });
});
