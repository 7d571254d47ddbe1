import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { stopProcess } from './processes';
import { tools } from './tools';

/** A real nats-server on a free loopback port, with JetStream in a temporary store directory. */
export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly monitorPort: number;
  readonly pid: number;
  readonly storeDir: string;
  /** The last lines the server logged, for failure messages. */
  readonly log: string[];
  stop(): Promise<void>;
}

export interface NatsServerOptions {
  readonly jetstream?: boolean;
  /** A fixed client port; by default the server picks a free one (`-p -1`). */
  readonly port?: number;
  readonly extraArgs?: readonly string[];
  readonly readyTimeoutMs?: number;
  /** Another nats-server binary, e.g. `tools().natsServerOldest` for the oldest supported release. */
  readonly binary?: string;
}

/**
 * Starts nats-server and resolves once it logs "Server is ready", reading the ports it chose from its log.
 * Rejects with one sentence when the binary is missing, the port is taken, or the server exits early.
 */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const binary = options.binary ?? tools().natsServer;
  if (binary.includes('/') ? !existsSync(binary) : false) {
    throw new Error(
      `nats-server is not installed (${binary} is missing): run 'npm run setup' or 'apt-get install nats-server'.`,
    );
  }
  const storeDir = mkdtempSync(join(tmpdir(), 'nats-k3s-js-'));
  const args = ['-a', '127.0.0.1', '-p', String(options.port ?? -1), '-m', '-1'];
  if (options.jetstream !== false) args.push('-js', '-sd', storeDir);
  args.push(...(options.extraArgs ?? []));

  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const log: string[] = [];
  let port = 0;
  let monitorPort = 0;

  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'ENOENT'
            ? `nats-server is not installed: run 'npm run setup' or 'apt-get install nats-server'.`
            : `nats-server could not start: ${err.message}`,
        ),
      ),
    );
    child.once('exit', (code) => {
      const reason = log.find((l) => /address already in use/i.test(l))
        ? `port ${options.port} on 127.0.0.1 is already in use`
        : `it exited with code ${code}: ${log.slice(-3).join(' | ')}`;
      reject(new Error(`nats-server did not start: ${reason}.`));
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log.push(line);
      if (log.length > 200) log.shift();
      const client = /Listening for client connections on [\d.]+:(\d+)/.exec(line);
      if (client) port = Number(client[1]);
      const monitor = /Starting http monitor on [\d.]+:(\d+)/.exec(line);
      if (monitor) monitorPort = Number(monitor[1]);
      if (/Server is ready/.test(line)) resolve();
    });
  });

  const stop = async () => {
    await stopProcess(child);
    rmSync(storeDir, { recursive: true, force: true });
  };

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ready,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`nats-server did not get ready within ${options.readyTimeoutMs ?? 15_000} ms.`)),
          options.readyTimeoutMs ?? 15_000,
        );
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return { url: `nats://127.0.0.1:${port}`, port, monitorPort, pid: child.pid!, storeDir, log, stop };
}

/** The client connections the server lists as open, from its monitoring endpoint `/connz`. */
export async function openConnections(server: NatsServer): Promise<{ name: string; subscriptions: number }[]> {
  const connz = (await (await fetch(`http://127.0.0.1:${server.monitorPort}/connz`)).json()) as {
    connections?: { name?: string; subscriptions?: number }[];
  };
  return (connz.connections ?? []).map((c) => ({ name: c.name ?? '', subscriptions: c.subscriptions ?? 0 }));
}
