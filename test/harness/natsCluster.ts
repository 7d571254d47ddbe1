import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePorts, stopProcess, withTimeout } from './processes';
import { tools } from './tools';

/**
 * A JetStream cluster of real nats-servers on loopback, the shape the chart deploys (`config.cluster.replicas: 3`):
 * each node has its own client, route and monitor port and its own store folder; routes name all nodes. Clients
 * without credentials land in the APP account; `sys`/`sys` is the system user (`nats server …` needs one).
 */
export interface NatsClusterNode {
  readonly name: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly url: string;
  /** PID of the running process, undefined while the node is down. */
  readonly pid: number | undefined;
  /** The last lines the node logged, for failure messages. */
  readonly log: string[];
  /** `kill -9`: no goodbye to clients or peers, as a crashed pod. */
  kill(): Promise<void>;
  /** Starts the node again on the same ports and store; resolves once it is ready. */
  restart(): Promise<void>;
}

export interface NatsCluster {
  readonly name: string;
  readonly nodes: readonly NatsClusterNode[];
  /** Every node's client URL, as a connection would list them. */
  readonly urls: string[];
  /** Resolves once every node that is up sees a JetStream meta leader and all running peers as current. */
  waitHealthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  readonly size?: number;
  readonly name?: string;
  /** nats-server binary; defaults to the one the chart deploys (out/tools.json `natsServer`). */
  readonly binary?: string;
}

const SYS_USER = { user: 'sys', password: 'sys' };

export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  // Another process can take a chosen port before nats-server binds it (a busy machine, other tests): try new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreshPorts(options);
    } catch (err) {
      if (attempt >= 3 || !/address already in use/.test(String((err as Error).message))) throw err;
    }
  }
}

async function startOnFreshPorts(options: NatsClusterOptions): Promise<NatsCluster> {
  const size = options.size ?? 3;
  const clusterName = options.name ?? 'nats-k3s';
  const binary = options.binary ?? tools().natsServer;
  const root = mkdtempSync(join(tmpdir(), 'nats-k3s-cluster-'));
  const all = await freePorts(size * 3);
  const ports = Array.from({ length: size }, (_, i) => ({
    client: all[3 * i]!,
    route: all[3 * i + 1]!,
    monitor: all[3 * i + 2]!,
  }));
  const routes = ports.map((p) => `nats-route://127.0.0.1:${p.route}`);

  const nodes = ports.map((p, i) => {
    const name = `n${i + 1}`;
    const store = join(root, name);
    mkdirSync(store);
    const conf = join(root, `${name}.conf`);
    writeFileSync(
      conf,
      [
        `server_name: ${name}`,
        `listen: 127.0.0.1:${p.client}`,
        `http: 127.0.0.1:${p.monitor}`,
        `jetstream { store_dir: "${store}", max_memory_store: 256MB, max_file_store: 2GB }`,
        `cluster { name: ${clusterName}, listen: 127.0.0.1:${p.route}, routes: [${routes.join(', ')}] }`,
        'accounts {',
        `  SYS { users: [{ user: ${SYS_USER.user}, password: ${SYS_USER.password} }] }`,
        '  APP { jetstream: enabled, users: [{ user: app, password: app }] }',
        '}',
        'system_account: SYS',
        'no_auth_user: app',
        // Faster failure detection than the defaults, so tests see a dead peer within seconds.
        'ping_interval: "2s"',
        'ping_max: 2',
      ].join('\n'),
    );
    return new ClusterNode(name, binary, conf, p.client, p.monitor);
  });

  const cluster: NatsCluster = {
    name: clusterName,
    nodes,
    urls: nodes.map((n) => n.url),
    waitHealthy: (timeoutMs = 30_000) => waitHealthy(nodes, timeoutMs),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(nodes.map((n) => n.restart()));
    await cluster.waitHealthy(60_000);
    await waitPlacement(cluster.urls, size, 60_000);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

class ClusterNode implements NatsClusterNode {
  readonly log: string[] = [];
  private child: ChildProcess | undefined;

  constructor(
    readonly name: string,
    private readonly binary: string,
    private readonly conf: string,
    readonly port: number,
    readonly monitorPort: number,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async restart(): Promise<void> {
    if (this.child) return;
    const child = spawn(this.binary, ['-c', this.conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    const ready = new Promise<void>((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`nats-server ${this.name} could not start: ${err.message}`)));
      child.once('exit', (code) =>
        reject(new Error(`nats-server ${this.name} exited with code ${code}: ${this.log.slice(-3).join(' | ')}`)),
      );
      createInterface({ input: child.stderr! }).on('line', (line) => {
        this.log.push(line);
        if (this.log.length > 300) this.log.shift();
        if (/Server is ready/.test(line)) resolve();
      });
    });
    await withTimeout(
      ready,
      30_000,
      `nats-server ${this.name} did not get ready within 30 s: ${this.log.slice(-3).join(' | ')}`,
    ).catch(async (err: unknown) => {
      await this.stop();
      throw err;
    });
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    if (this.child) await stopProcess(this.child);
  }
}

interface Jsz {
  meta_cluster?: { leader?: string; replicas?: { name: string; current: boolean; offline?: boolean }[] };
}

/**
 * Every running node agrees on a JetStream meta leader that runs, and the leader (only it lists the replicas) sees
 * every other running node as current.
 */
async function waitHealthy(nodes: readonly ClusterNode[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = nodes.filter((n) => n.pid !== undefined);
    const views = await Promise.all(up.map((n) => monitor<Jsz>(n.monitorPort, '/jsz').catch(() => undefined)));
    const healthz = await Promise.all(
      up.map((n) =>
        fetch(`http://127.0.0.1:${n.monitorPort}/healthz`)
          .then((r) => r.ok)
          .catch(() => false),
      ),
    );
    const leader = views[0]?.meta_cluster?.leader;
    const leaderView = views[up.findIndex((n) => n.name === leader)]?.meta_cluster;
    const ok =
      leader !== undefined &&
      healthz.every(Boolean) &&
      views.every((v) => v?.meta_cluster?.leader === leader) &&
      leaderView !== undefined &&
      up.every(
        (n) => n.name === leader || leaderView.replicas?.some((r) => r.name === n.name && r.current && !r.offline),
      );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(
        `the NATS cluster did not become healthy within ${timeoutMs} ms: ${JSON.stringify(views.map((v) => v?.meta_cluster))}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** GET a monitoring endpoint of one node. */
export async function monitor<T>(monitorPort: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${monitorPort}${path}`);
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return (await res.json()) as T;
}

/**
 * Waits until a stream with a replica on every node can be placed. The meta group can be current while the leader
 * has not yet had every peer's JetStream stats, and until then it refuses R3 placement ("no suitable peers for
 * placement, peer offline"); a test's first R3 stream would fail on that.
 */
async function waitPlacement(urls: readonly string[], replicas: number, timeoutMs: number): Promise<void> {
  const nc = await connect({ servers: [...urls] });
  try {
    const jsm = await jetstreamManager(nc, { timeout: 10_000 });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await jsm.streams.add({
          name: 'NATS_K3S_PLACEMENT_PROBE',
          subjects: ['nats-k3s.placement-probe'],
          num_replicas: replicas,
          storage: 'memory' as never,
        });
        await jsm.streams.delete('NATS_K3S_PLACEMENT_PROBE');
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`the NATS cluster could not place an R${replicas} stream within ${timeoutMs} ms: ${err}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await nc.close();
  }
}
