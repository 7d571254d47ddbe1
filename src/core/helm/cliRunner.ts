import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The outcome of one CLI run. "The binary is not there" (`not-found`), "it could not be started" (`failed`),
 * "it ran and said no" (`exited`) and "the user stopped it" (`cancelled`) are different problems with different
 * next steps, so they stay apart. Every kind but `ok` carries one sentence for the user.
 */
export type CliResult =
  | { readonly kind: 'ok'; readonly stdout: string; readonly stderr: string }
  | { readonly kind: 'not-found'; readonly binary: string; readonly explanation: string }
  | { readonly kind: 'failed'; readonly binary: string; readonly error: string; readonly explanation: string }
  | {
      readonly kind: 'exited';
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly stdout: string;
      readonly stderr: string;
      readonly explanation: string;
    }
  | { readonly kind: 'cancelled'; readonly explanation: string };

export type OutputStream = 'stdout' | 'stderr';

export interface CliRunOptions {
  /** The binary: a path, or a bare name looked up on PATH. */
  readonly binary: string;
  readonly args: readonly string[];
  /** Extra environment variables on top of this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Aborting kills the process by its PID (SIGTERM, then SIGKILL after `killGraceMs`). */
  readonly signal?: AbortSignal;
  readonly killGraceMs?: number;
  /** Called with every line as it arrives, for a log channel. */
  readonly onLine?: (stream: OutputStream, line: string) => void;
  /** The name of the setting that holds the binary's path, for the not-found sentence. */
  readonly pathSetting?: string;
  /** Turns a non-zero exit into a sentence; the default quotes the last line of stderr. */
  readonly explainExit?: (code: number | null, stderr: string) => string;
}

/** Runs a binary with an argument array (no shell) and resolves with a CliResult; it never rejects. */
export function runCli(opts: CliRunOptions): Promise<CliResult> {
  const name = displayName(opts.binary);
  const notFound = (): CliResult => ({
    kind: 'not-found',
    binary: opts.binary,
    explanation: `${name} was not found${opts.binary.includes('/') ? ` at ${opts.binary}` : ' on PATH'}: install it${opts.pathSetting ? ` or set ${opts.pathSetting} to its path` : ''}.`,
  });
  if (opts.signal?.aborted) return Promise.resolve(cancelled(name));

  return new Promise<CliResult>((resolve) => {
    const child = spawn(opts.binary, [...opts.args], {
      cwd: opts.cwd,
      env: opts.env ? { ...process.env, ...opts.env } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    const err: string[] = [];
    let wasCancelled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const onAbort = () => {
      wasCancelled = true;
      if (child.pid === undefined) return;
      kill(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => kill(child.pid!, 'SIGKILL'), opts.killGraceMs ?? 3_000);
    };
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const cleanup = () => {
      opts.signal?.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
    };

    const pump = (stream: OutputStream, into: string[]) => {
      createInterface({ input: child[stream]! }).on('line', (line) => {
        into.push(line);
        opts.onLine?.(stream, line);
      });
    };
    pump('stdout', out);
    pump('stderr', err);

    child.once('error', (e: NodeJS.ErrnoException) => {
      cleanup();
      if (e.code === 'ENOENT') resolve(notFound());
      else
        resolve({
          kind: 'failed',
          binary: opts.binary,
          error: e.message,
          explanation: `${name} could not be started (${e.code ?? e.message}): check that ${opts.binary} is an executable file.`,
        });
    });
    // 'close' (not 'exit') so that the last lines of both pipes have been read.
    child.once('close', (code, signal) => {
      cleanup();
      const stdout = out.join('\n');
      const stderr = err.join('\n');
      if (wasCancelled) resolve(cancelled(name));
      else if (code === 0) resolve({ kind: 'ok', stdout, stderr });
      else
        resolve({
          kind: 'exited',
          code,
          signal,
          stdout,
          stderr,
          explanation: (opts.explainExit ?? defaultExplainExit(name))(code, stderr),
        });
    });
  });
}

function cancelled(name: string): CliResult {
  return { kind: 'cancelled', explanation: `${name} was cancelled; nothing more was done.` };
}

function kill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function displayName(binary: string): string {
  return binary.split('/').pop() || binary;
}

function defaultExplainExit(name: string) {
  return (code: number | null, stderr: string): string => {
    const last = lastMeaningfulLine(stderr);
    return `${name} exited with code ${code ?? 'none (killed)'}${last ? `: ${last}` : '.'}`;
  };
}

/**
 * The last non-empty stderr line without helm's and kubectl's "Error: " prefix, or '' when there is none. helm ends a
 * chart that fails to render with a hint to use --debug, which would hide the error above it: that hint is skipped.
 */
export function lastMeaningfulLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^Use --debug flag to render out invalid YAML$/.test(l));
  return (lines.at(-1) ?? '').replace(/^Error:\s*/, '');
}

/**
 * Finds an executable: a configured path is used as is (if it is an executable file), a bare name is looked up on
 * PATH. Returns the absolute path, or undefined when there is nothing runnable; used where a path must be known
 * before running, such as a terminal's shellPath.
 */
export function findExecutable(nameOrPath: string, pathEnv: string | undefined = process.env.PATH): string | undefined {
  if (nameOrPath.includes('/')) return isExecutableFile(nameOrPath) ? nameOrPath : undefined;
  for (const dir of (pathEnv ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, nameOrPath);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
