import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './tools';

/** The built CLI bundle, as users run it. */
export const cliBundle = join(repoRoot, 'dist', 'cli.js');

export interface CliRun {
  /** Exit code; null when the run had to be killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** When it exited (Date.now()). */
  readonly exitedAt: number;
  readonly ms: number;
  /** True when it had not exited after `killAfterMs` and was SIGKILLed. */
  readonly killed: boolean;
  /** Peak resident memory in bytes, when run with `measureMemory` (GNU time's maximum resident set size). */
  readonly peakRssBytes?: number;
}

/** GNU time, which reports a child's peak memory; Debian's `time` package. */
const GNU_TIME = '/usr/bin/time';

/** Whether `measureMemory` can work here. */
export function canMeasureMemory(): boolean {
  return existsSync(GNU_TIME);
}

/**
 * Runs `node dist/cli.js ...args` as a child and resolves when it exits; a run still alive after `killAfterMs` is
 * SIGKILLed and reported as `killed`, so a CLI that hangs fails the test instead of hanging it.
 */
export function runCliBundle(
  args: readonly string[],
  options: {
    killAfterMs?: number;
    nodeArgs?: readonly string[];
    input?: Uint8Array;
    measureMemory?: boolean;
    /** Added to this process's environment (helm's HELM_* folders, say). */
    env?: Readonly<Record<string, string>>;
  } = {},
): Promise<CliRun> {
  const started = Date.now();
  const argv = [process.execPath, ...(options.nodeArgs ?? []), cliBundle, ...args];
  // GNU time writes its report after the child's own stderr; it is split off below.
  const [command, ...rest] = options.measureMemory ? [GNU_TIME, '-v', ...argv] : argv;
  const child = spawn(command, rest, {
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.input ?? undefined);
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, options.killAfterMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const exitedAt = Date.now();
      const report = options.measureMemory ? stderr.lastIndexOf('\tCommand being timed:') : -1;
      const rss = report >= 0 ? /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr.slice(report)) : null;
      // GNU time exits with the child's code, and says "Command exited with non-zero status N" before its report.
      const own =
        report >= 0 ? stderr.slice(0, report).replace(/Command exited with non-zero status \d+\n$/, '') : stderr;
      resolve({
        code,
        stdout,
        stderr: own,
        exitedAt,
        ms: exitedAt - started,
        killed,
        ...(rss ? { peakRssBytes: Number(rss[1]) * 1024 } : {}),
      });
    });
  });
}
