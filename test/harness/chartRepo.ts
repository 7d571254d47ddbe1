/**
 * A REAL chart repository on loopback for the helm tests: the vendored NATS charts (../shared/charts) packaged by real
 * `helm package`, indexed by real `helm repo index --url`, and served read-only over node:http on a free 127.0.0.1
 * port, the way chart-releaser's gh-pages, ChartMuseum or a Harbor mirror serve them (index.yaml and .tgz files).
 * It can also stop answering: every later request is accepted and held open, so a helm command that fetches from it
 * blocks until it is killed (the cancellation tests).
 *
 * helmHome() gives helm a throwaway config, cache and data folder, so no test reads or writes ~/.config/helm.
 */
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, tools } from './tools';

const execFileP = promisify(execFile);

/** The vendored charts, newest first: the folders nats-<version> in ../shared/charts (read-only copies of the published ones). */
export const CHART_VERSIONS = ['2.14.2', '1.3.16', '0.19.17'] as const;

export function chartDir(version: string): string {
  return join(repoRoot, '..', 'shared', 'charts', `nats-${version}`);
}

/** A temp folder for helm's own state, and the environment that points every HELM_* path into it. */
export interface HelmHome {
  readonly dir: string;
  /** HELM_CONFIG_HOME, HELM_CACHE_HOME, HELM_DATA_HOME and the repository, registry, plugin and content paths under them. */
  readonly env: Readonly<Record<string, string>>;
  remove(): void;
}

/**
 * The environment that keeps helm inside `dir`. The derived paths are set too: a HELM_REPOSITORY_CONFIG (or another
 * of them) already in this process's environment would otherwise win over the homes.
 */
export function helmEnv(dir: string): Record<string, string> {
  const config = join(dir, 'config');
  const cache = join(dir, 'cache');
  const data = join(dir, 'data');
  return {
    HELM_CONFIG_HOME: config,
    HELM_CACHE_HOME: cache,
    HELM_DATA_HOME: data,
    HELM_REPOSITORY_CONFIG: join(config, 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(cache, 'repository'),
    HELM_REGISTRY_CONFIG: join(config, 'registry', 'config.json'),
    HELM_PLUGINS: join(data, 'plugins'),
    // helm 4's chart content cache; helm 3 ignores it.
    HELM_CONTENT_CACHE: join(cache, 'content'),
  };
}

/** A new temp folder for helm's state (see helmEnv); remove() deletes it. */
export function helmHome(prefix = 'nats-k3s-helm-home-'): HelmHome {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, env: helmEnv(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ChartRepo {
  /** The repository's URL, ending in '/': what `helm repo add` takes and what index.yaml's chart URLs start with. */
  readonly url: string;
  /** The chart versions in its index, newest first. */
  readonly versions: readonly string[];
  /** The folder served: index.yaml and nats-<version>.tgz. */
  readonly dir: string;
  /** The paths requested so far (answered or held), oldest first. */
  requests(): string[];
  /** From now on, accept every request and never answer it (until stop()). */
  stopAnswering(): void;
  /** Resolves with the path of the next request that arrives while the repository does not answer. */
  nextHeldRequest(): Promise<string>;
  /** Closes the server, drops held connections and deletes the folder. */
  stop(): Promise<void>;
}

export interface ChartRepoOptions {
  /** Which vendored chart versions to publish (default: all of CHART_VERSIONS). */
  readonly versions?: readonly string[];
  /** The path the repository sits under, e.g. 'chartrepo/nats' as Harbor has it (default: the server's root). */
  readonly path?: string;
}

/** Packages the vendored charts with real helm, indexes them, and serves them on a free 127.0.0.1 port. */
export async function startChartRepo(options: ChartRepoOptions = {}): Promise<ChartRepo> {
  const versions = options.versions ?? CHART_VERSIONS;
  const prefix = `/${(options.path ?? '').replace(/^\/+|\/+$/g, '')}/`.replace('//', '/');
  const root = mkdtempSync(join(tmpdir(), 'nats-k3s-chart-repo-'));
  const dir = join(root, 'repo');
  mkdirSync(dir);
  const home = helmEnv(join(root, 'helm'));
  const requested: string[] = [];
  const held: ServerResponse[] = [];
  const waiting: ((path: string) => void)[] = [];
  let answering = true;

  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requested.push(path);
    if (!answering) {
      held.push(res);
      for (const w of waiting.splice(0)) w(path);
      return;
    }
    const name = path.startsWith(prefix) ? path.slice(prefix.length) : '';
    const file = join(dir, name);
    // Read-only, and only the files of the repository folder itself: no other method, no sub-path, no dot files.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || !existsSync(file)) {
      res.writeHead(404).end();
    } else {
      res.writeHead(200, { 'content-type': name.endsWith('.yaml') ? 'application/x-yaml' : 'application/gzip' });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    }
  });

  try {
    for (const version of versions) {
      await execFileP(tools().helm3, ['package', chartDir(version), '--destination', dir], {
        env: { ...process.env, ...home },
      });
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`;
    await execFileP(tools().helm3, ['repo', 'index', dir, '--url', url], { env: { ...process.env, ...home } });
    return {
      url,
      versions: [...versions],
      dir,
      requests: () => [...requested],
      stopAnswering: () => {
        answering = false;
      },
      nextHeldRequest: () => new Promise<string>((resolve) => waiting.push(resolve)),
      stop: () => stopServer(),
    };
  } catch (err) {
    await stopServer();
    throw err;
  }

  async function stopServer(): Promise<void> {
    for (const res of held.splice(0)) res.destroy();
    server.closeAllConnections();
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(root, { recursive: true, force: true });
  }
}
