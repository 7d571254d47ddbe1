import { spawn, execFile } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, stopProcess } from './processes';
import { tools } from './tools';

/** Settings for a quiet, deterministic workbench (no welcome page, no AI, no gallery, no git). */
export const QUIET_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'workbench.reduceMotion': 'on',
};

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Short per-run folder: user data, extensions, XDG dirs, the server's log. */
  readonly dir: string;
  readonly logFile: string;
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

export interface CodeServerOptions {
  readonly settings?: Record<string, unknown>;
  /** .vsix files to install into the fresh extensions dir before starting. */
  readonly install?: readonly string[];
  /** Extension folders to link into the extensions dir as they are (the demo runs the working tree). */
  readonly link?: readonly { readonly folder: string; readonly id: string }[];
  /** Lets the workbench URL's payload load an extension and its tests (extension-host test route). */
  readonly smokeTestDriver?: boolean;
  readonly port?: number;
  readonly folder?: string;
  readonly env?: Record<string, string>;
  /**
   * Workspace trust on, as in desktop VS Code: a folder opens in Restricted Mode until the user trusts it. Off by
   * default (--disable-workspace-trust), so every other test runs trusted.
   */
  readonly workspaceTrust?: boolean;
}

/**
 * Starts code-server (a real VS Code server) on 127.0.0.1 with Node 24, isolated in its own folder, and
 * resolves once /healthz answers. It leads its own process group so `stop` ends its extension host too.
 */
export async function startCodeServer(options: CodeServerOptions = {}): Promise<CodeServer> {
  const t = tools();
  // Unix socket paths are limited to 108 bytes: keep the folder short.
  const dir = mkdtempSync('/tmp/nk3s-');
  const dirs = {
    ud: join(dir, 'ud'),
    ext: join(dir, 'ext'),
    cfg: join(dir, 'cfg'),
    data: join(dir, 'data'),
    cache: join(dir, 'cache'),
    tmp: join(dir, 'tmp'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.ud, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.ud, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2),
  );
  // code-server's workbench is a remote window: it ignores machine-scoped settings (natsK3s.helmPath, kubeconfig,
  // kubectlPath) in the user settings above and reads them from the remote machine's settings, where
  // ConfigurationTarget.Global writes them too.
  mkdirSync(join(dirs.ud, 'Machine'), { recursive: true });
  writeFileSync(join(dirs.ud, 'Machine', 'settings.json'), JSON.stringify({ ...options.settings }, null, 2));

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.cfg,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    TMPDIR: dirs.tmp,
    // For tests that read what VS Code wrote there (the extension's log file, user data).
    NATS_K3S_CODE_SERVER_DIR: dir,
    ...options.env,
  };
  const entry = join(t.codeServer, 'out', 'node', 'entry.js');
  const base = ['--user-data-dir', dirs.ud, '--extensions-dir', dirs.ext];

  for (const vsix of options.install ?? []) {
    await promisify(execFile)(t.node24, [entry, ...base, '--install-extension', vsix], { env, timeout: 60_000 });
  }

  for (const { folder, id } of options.link ?? []) symlinkSync(folder, join(dirs.ext, id), 'dir');

  const port = options.port ?? (await freePort());
  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...base,
  ];
  if (!options.workspaceTrust) args.push('--disable-workspace-trust');
  if (options.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (options.folder) args.push(options.folder);

  const logFile = join(dir, 'code-server.log');
  const fd = openSync(logFile, 'a');
  const child = spawn(t.node24, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) =>
      reject(new Error(`code-server exited with code ${code} before it was ready; see ${logFile}.`)),
    ),
  );
  exited.catch(() => undefined);

  const stop = async (opts: { keepDir?: boolean } = {}) => {
    await stopProcess(child, { group: true });
    if (!opts.keepDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([waitForHealth(port, 30_000), exited]);
  } catch (err) {
    await stop({ keepDir: true });
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, port, pid: child.pid!, dir, logFile, stop };
}

async function waitForHealth(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // code-server has no readiness event to await from outside; /healthz is its documented readiness probe.
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`code-server did not answer /healthz on port ${port} within ${timeoutMs / 1000} s.`);
}
