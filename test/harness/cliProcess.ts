import { spawn } from 'node:child_process';
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
}

/**
 * Runs `node dist/cli.js ...args` as a child and resolves when it exits; a run still alive after `killAfterMs` is
 * SIGKILLed and reported as `killed`, so a CLI that hangs fails the test instead of hanging it.
 */
export function runCliBundle(args: readonly string[], options: { killAfterMs?: number; nodeArgs?: readonly string[]; input?: Uint8Array } = {}): Promise<CliRun> {
  const started = Date.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cliBundle, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
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
      resolve({ code, stdout, stderr, exitedAt, ms: exitedAt - started, killed });
    });
  });
}
