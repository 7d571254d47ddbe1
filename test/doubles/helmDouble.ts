/**
 * TEST DOUBLE for the helm binary. No test machine has helm, so this writes a small executable named `helm` into a
 * temporary directory. Each run appends its argument array, its KUBECONFIG and its PID to a record file, then answers
 * like helm: canned JSON from test/fixtures/helm for `repo list`, `search repo`, `list` and `get values`, chosen
 * stdout/stderr/exit codes for anything else, or it hangs (for cancellation tests) after printing "helm-double: waiting".
 *
 * Use it by passing `double.binPath` as the helm path (natsK3s.helmPath), or by putting `double.dir` first on PATH.
 * Everything it does is decided by `config.json` beside the executable, so a test in another process (the extension
 * host) can steer it by calling `setResponse` from the process that created it, or by rewriting that file.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../harness/tools';

/** The helm subcommands the double tells apart. */
export type HelmCommand = 'repo list' | 'repo add' | 'repo update' | 'search repo' | 'list' | 'get values' | 'upgrade' | 'template' | 'uninstall' | 'version';

export interface HelmResponse {
  readonly stdout?: string;
  /** Lines written to stderr before exiting (helm writes progress and errors there). */
  readonly stderr?: string;
  readonly exitCode?: number;
  /** Never exit on its own; the test must stop it. */
  readonly hang?: boolean;
}

/** One recorded run of the double. */
export interface HelmCall {
  readonly argv: string[];
  readonly kubeconfig: string | null;
  readonly pid: number;
}

export interface HelmDouble {
  /** The directory to put first on PATH. */
  readonly dir: string;
  /** The executable itself, for natsK3s.helmPath. */
  readonly binPath: string;
  readonly recordFile: string;
  /** Every run so far, oldest first. */
  calls(): HelmCall[];
  setResponse(command: HelmCommand, response: HelmResponse): void;
  dispose(): void;
}

export const helmFixtureDir = join(repoRoot, 'test', 'fixtures', 'helm');

/** The fixture text of test/fixtures/helm/<name>. */
export function helmFixture(name: string): string {
  return readFileSync(join(helmFixtureDir, name), 'utf8');
}

function defaultResponses(): Partial<Record<HelmCommand, HelmResponse>> {
  return {
    'repo list': { stdout: helmFixture('repo-list.json') },
    'search repo': { stdout: helmFixture('search-versions.json') },
    list: { stdout: helmFixture('list.json') },
    'get values': { stdout: helmFixture('get-values.json') },
    'repo add': { stdout: '"nats" has been added to your repositories' },
    'repo update': { stdout: 'Update Complete. ⎈Happy Helming!⎈' },
    upgrade: { stdout: 'Release "nats" has been upgraded. Happy Helming!' },
    template: { stdout: '---\n# Source: nats/templates/service.yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: nats\n' },
    uninstall: { stdout: 'release "nats" uninstalled' },
    version: { stdout: 'version.BuildInfo{Version:"v3.18.0-double"}' },
  };
}

// The program of the double. It runs in its own Node process, so it is plain JavaScript with no imports of ours.
const program = String.raw`
const fs = require('node:fs');
const path = require('node:path');
const config = JSON.parse(fs.readFileSync(path.join(__dirname, 'config.json'), 'utf8'));
const argv = process.argv.slice(2);
fs.appendFileSync(config.recordFile, JSON.stringify({ argv, kubeconfig: process.env.KUBECONFIG ?? null, pid: process.pid }) + '\n');
const words = argv.filter((a) => !a.startsWith('-'));
const key = [words.slice(0, 2).join(' '), words[0]].find((k) => k in config.responses);
const r = key === undefined ? { stderr: 'Error: unknown command "' + (words[0] ?? '') + '" for "helm"', exitCode: 1 } : config.responses[key];
if (r.stdout) process.stdout.write(r.stdout.endsWith('\n') ? r.stdout : r.stdout + '\n');
if (r.stderr) process.stderr.write(r.stderr.endsWith('\n') ? r.stderr : r.stderr + '\n');
if (r.hang) {
  process.stderr.write('helm-double: waiting\n');
  setInterval(() => {}, 1 << 30);
} else {
  process.exitCode = r.exitCode ?? 0;
}
`;

/** Creates the double in a new temporary directory; `nodePath` is the Node binary named in its #! line. */
export function createHelmDouble(opts: { nodePath?: string; responses?: Partial<Record<HelmCommand, HelmResponse>> } = {}): HelmDouble {
  const dir = mkdtempSync(join(tmpdir(), 'nats-k3s-helm-double-'));
  const binPath = join(dir, 'helm');
  const recordFile = join(dir, 'calls.jsonl');
  const configFile = join(dir, 'config.json');
  const responses = { ...defaultResponses(), ...opts.responses };
  const save = () => writeFileSync(configFile, JSON.stringify({ recordFile, responses }));
  save();
  writeFileSync(binPath, `#!${opts.nodePath ?? process.execPath}\n${program}`);
  chmodSync(binPath, 0o755);
  return {
    dir,
    binPath,
    recordFile,
    calls: () =>
      existsSync(recordFile)
        ? readFileSync(recordFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as HelmCall)
        : [],
    setResponse(command, response) {
      responses[command] = response;
      save();
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
