/**
 * A K3s-shaped control plane on NATS, all on 127.0.0.1, for the integration tests and `npm run stack`:
 *
 *   3-node JetStream cluster (nats-server 2.14, the chart's shape) → kine (a NATS client, as K3s runs it with
 *   `--datastore-endpoint=nats://…`; bucket `kine`, R3) → kube-apiserver (kine as its etcd, K3s's authorization
 *   mode and service CIDR) → kube-controller-manager (all default controllers: a StatefulSet gets its Pods and PVCs).
 *
 * No kubelet and no scheduler: Pods stay Pending, unless `nodes` asks for fake nodes (kwok.ts: kwok plays the
 * kubelet, kwokBinder.ts the scheduler, each a process of the stack). Every process is started here and stopped by
 * PID, in reverse order, on `stop()` and when a phase fails. Each process logs to a file in the stack's temp folder;
 * the folder is removed on `stop()` (unless `keepDir`) and kept when start-up fails (the error names it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  type WriteStream,
} from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadClientNode } from '../../src/core/kube/clientNode';
import { startKwokNodes, type KwokNodes } from './kwok';
import { startNatsCluster, type NatsCluster } from './natsCluster';
import { freePort, stopProcess } from './processes';
import { caFromServingBundle, writeAdminToken, writeKubeconfig, writeServiceAccountKeys } from './stackPki';
import { repoRoot, tools } from './tools';

export interface K8sStackOptions {
  /** The KV bucket kine uses (K3s: `kine`). */
  readonly bucket?: string;
  /** The bucket's replicas (`replicas=` on the endpoint); defaults to the cluster size, 3. */
  readonly replicas?: number;
  /** Keep the temp folder (logs, keys, kubeconfig) after `stop()` too. */
  readonly keepDir?: boolean;
  /**
   * Fake nodes run by kwok (0, the default: none, Pods stay Pending). 1 is K3s's single server `k3s-server`; more
   * add agents `k3s-agent-N`. Pods are then bound, become Running and Ready, and exec, logs and port-forward work
   * (see kwok.ts).
   */
  readonly nodes?: number;
  /** Progress lines ("kine ready in 95 ms"); silent by default. */
  readonly onProgress?: (line: string) => void;
  /**
   * An EncryptionConfiguration (YAML) for kube-apiserver's `--encryption-provider-config`, with automatic reload on:
   * what it names is stored encrypted at rest. Rewrite `encryptionConfigFile` to change it while the stack runs.
   */
  readonly encryptionConfig?: string;
}

export type StackPhase = 'pki' | 'nats' | 'kine' | 'kubeApiserver' | 'kubeControllerManager' | 'kwok';

/** How messages name each phase. */
export const PHASE_LABELS: Readonly<Record<StackPhase, string>> = {
  pki: 'keys and token',
  nats: 'NATS cluster',
  kine: 'kine',
  kubeApiserver: 'kube-apiserver',
  kubeControllerManager: 'kube-controller-manager',
  kwok: 'kwok nodes',
};

export interface K8sStack {
  /** Client URLs of the three NATS nodes. */
  readonly natsUrls: string[];
  /** kine's `--endpoint`, the value K3s would get as `--datastore-endpoint`. */
  readonly kineEndpoint: string;
  /** kine's etcd address (`http://127.0.0.1:<port>`), the apiserver's `--etcd-servers`. */
  readonly kineUrl: string;
  readonly bucket: string;
  /** Path of a kubeconfig for the admin token; context `nats-k3s-stack`. */
  readonly kubeconfig: string;
  readonly context: string;
  readonly apiServerUrl: string;
  /** PEM of the CA that signed the apiserver's serving certificate. */
  readonly caPem: string;
  /** Bearer token of `system:admin` (group `system:masters`). */
  readonly token: string;
  readonly cluster: NatsCluster;
  readonly pids: {
    readonly nats: number[];
    readonly kine: number;
    readonly kubeApiserver: number;
    readonly kubeControllerManager: number;
    readonly kwok?: number;
    readonly podBinder?: number;
  };
  /** The apiserver's EncryptionConfiguration file, with `encryptionConfig`. */
  readonly encryptionConfigFile?: string;
  /** The fake nodes' names, `[]` without `nodes`. */
  readonly nodeNames: readonly string[];
  /**
   * Makes Pods `<statefulSet>-0..2` of `namespace` stand for the cluster's nodes n1..n3: port-forward to 4222 and 8222
   * reaches that node's client and monitoring port, `kubectl logs` shows its log so far. Needs `nodes`.
   */
  forwardPodsToNats(namespace: string, statefulSet: string): Promise<void>;
  /**
   * Makes port-forwards to Pod `pod` of `namespace` reach local servers: `ports` maps a port of the Pod to a port on
   * 127.0.0.1 (`{ 4222: server.port }`); `kubectl logs` shows `logLines`. It holds for every Pod of that name (a
   * StatefulSet's Pod made again too) until the namespace goes; a second call for the Pod replaces the first. Needs
   * `nodes`.
   */
  forwardPodPorts(
    namespace: string,
    pod: string,
    ports: Readonly<Record<number, number>>,
    logLines?: readonly string[],
  ): Promise<void>;
  /** How often kine was started: 1, or more when it exited during start-up and was started again (see the kine phase). */
  readonly kineStarts: number;
  /** Milliseconds per phase (each until its readiness probe passed; kwok 0 without `nodes`) and in total. */
  readonly startupMs: Readonly<Record<StackPhase | 'total', number>>;
  /** The temp folder: keys, kubeconfig, `<process>.log`. */
  readonly dir: string;
  /**
   * Stops the pod binder and kwok (with `nodes`), KCM, the apiserver, kine and the NATS cluster, in that order;
   * idempotent. `keepDir` keeps the temp folder this time (a test that failed keeps the logs).
   */
  stop(opts?: { keepDir?: boolean }): Promise<void>;
}

export const STACK_CONTEXT = 'nats-k3s-stack';
/** K3s's default service CIDR (`--service-cluster-ip-range`). */
export const K3S_SERVICE_CIDR = '10.43.0.0/16';
/** K3s's service-account issuer for the default cluster domain. */
export const K3S_SA_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** How often the stack starts kine before it gives up (see the kine phase). */
const MAX_KINE_STARTS = 3;

/**
 * The chart's nats-server, always: the stack models the deployed cluster, so it ignores NATS_K3S_NATS_SERVER (the
 * compatibility pass points that at Debian's 2.9 for the feature tests).
 */
function chartNatsServer(): string {
  const file = join(repoRoot, 'out', 'tools.json');
  if (!existsSync(file)) throw new Error(`${file} is missing: run 'npm run setup' first (npm test does it for you).`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { natsServer?: string };
  if (!json.natsServer) throw new Error(`${file} names no natsServer: run 'npm run setup' again.`);
  return json.natsServer;
}

/** kine's NATS endpoint as K3s takes it: the query on the first URL only, the other nodes after commas. */
export function kineNatsEndpoint(urls: readonly string[], bucket: string, replicas: number): string {
  const [first, ...rest] = urls;
  if (!first) throw new Error('kine needs at least one NATS URL');
  return [`${first}?bucket=${encodeURIComponent(bucket)}&replicas=${replicas}`, ...rest].join(',');
}

/** One process of the stack: its output goes to `<dir>/<name>.log`, the last lines are kept for error messages. */
class StackProcess {
  readonly tail: string[] = [];
  readonly exited: Promise<string>;
  private readonly child: ChildProcess;
  private readonly out: WriteStream;
  private readonly watchers = new Set<(line: string) => void>();

  constructor(
    readonly name: string,
    binary: string,
    args: readonly string[],
    readonly logFile: string,
    /** Own process group, stopped as a whole: for kwok, whose exec'd commands are its children. */
    private readonly group = false,
  ) {
    this.out = createWriteStream(logFile);
    this.out.write(`$ ${binary} ${args.join(' ')}\n`);
    this.child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: group });
    this.exited = new Promise((resolve) => {
      this.child.once('error', (err) => resolve(`${name} could not be started (${err.message})`));
      this.child.once('exit', (code, signal) =>
        resolve(`${name} exited ${signal ? `on ${signal}` : `with code ${code}`}`),
      );
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (raw) => {
        this.out.write(`${raw}\n`);
        // kine colours its levels even into a pipe.
        const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
        this.tail.push(line);
        if (this.tail.length > 40) this.tail.shift();
        for (const w of this.watchers) w(line);
      });
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.pid !== undefined;
  }

  /** Resolves when a log line matches `pattern`; rejects when the process exits first. */
  waitForLine(pattern: RegExp): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.tail.some((l) => pattern.test(l))) return resolve();
      const watcher = (line: string) => {
        if (!pattern.test(line)) return;
        this.watchers.delete(watcher);
        resolve();
      };
      this.watchers.add(watcher);
      void this.exited.then((why) => {
        this.watchers.delete(watcher);
        reject(new Error(why));
      });
    });
  }

  lastLines(n = 8): string {
    return this.tail.slice(-n).join('\n    ');
  }

  /** SIGKILL by PID, for the process-exit safety net only. */
  killNow(): void {
    if (this.running) {
      try {
        process.kill(this.group ? -this.pid : this.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  async stop(graceMs: number): Promise<void> {
    await stopProcess(this.child, { graceMs, group: this.group });
    await new Promise<void>((resolve) => this.out.end(resolve));
  }
}

interface HttpsAnswer {
  readonly status: number;
  readonly body: string;
}

/** A GET against a loopback HTTPS endpoint, verified against `ca`; rejects on connection errors and after 3 s. */
function httpsGet(url: string, ca: string, token?: string): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca, agent: false, timeout: 3_000, headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${url} did not answer within 3 s`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Polls `probe` every `intervalMs` until it returns true. Rejects with the last probe error when `timeoutMs` passes,
 * and at once when `proc` exits.
 */
async function pollUntil(
  what: string,
  probe: () => Promise<boolean>,
  proc: StackProcess,
  timeoutMs: number,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  let exited: string | undefined;
  void proc.exited.then((why) => (exited = why));
  for (;;) {
    if (exited) throw new Error(exited);
    try {
      if (await probe()) return;
    } catch (err) {
      last = (err as Error).message;
    }
    if (exited) throw new Error(exited);
    if (Date.now() > deadline)
      throw new Error(`${what} was not ready within ${timeoutMs / 1000} s (last probe: ${last})`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Rejects after `ms` with `message`; the timer never keeps Node alive. */
function deadline(ms: number, message: string): Promise<never> {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(message)), ms).unref());
}

/** Starts the stack; see the module comment. Rejects with one sentence naming the phase that failed and where the logs are. */
export async function startK8sStack(options: K8sStackOptions = {}): Promise<K8sStack> {
  const t = tools();
  const bucket = options.bucket ?? 'kine';
  const progress = options.onProgress ?? (() => undefined);
  const dir = mkdtempSync(join(tmpdir(), 'nats-k3s-stack-'));
  const started = Date.now();
  const startupMs: Record<StackPhase | 'total', number> = {
    pki: 0,
    nats: 0,
    kine: 0,
    kubeApiserver: 0,
    kubeControllerManager: 0,
    kwok: 0,
    total: 0,
  };

  let cluster: NatsCluster | undefined;
  let kwok: KwokNodes | undefined;
  const procs: StackProcess[] = [];
  // If this Node process ends without stop() (a crash, process.exit in a runner), take the children with it.
  const safetyNet = () => {
    for (const p of procs) p.killNow();
    for (const n of cluster?.nodes ?? []) {
      if (n.pid !== undefined) {
        try {
          process.kill(n.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  };
  process.on('exit', safetyNet);

  const saveNatsLogs = () => {
    for (const n of cluster?.nodes ?? []) writeFileSync(join(dir, `nats-${n.name}.log`), `${n.log.join('\n')}\n`);
  };
  let stopped = false;
  const stopAll = async (keepDir: boolean) => {
    if (stopped) return;
    stopped = true;
    // Reverse order: the controllers first, the datastore last.
    for (const p of [...procs].reverse()) await p.stop(p.name === 'kube-apiserver' ? 15_000 : 5_000);
    saveNatsLogs();
    await cluster?.stop();
    process.removeListener('exit', safetyNet);
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  };

  // The kwok phase talks to the apiserver through client-node; importing it takes ~0.4 s, so it happens meanwhile.
  if ((options.nodes ?? 0) > 0) void loadClientNode().catch(() => undefined);

  let phase: StackPhase = 'pki';
  let current: StackProcess | undefined;
  const timed = async <T>(p: StackPhase, run: () => Promise<T>): Promise<T> => {
    phase = p;
    const t0 = Date.now();
    const result = await run();
    startupMs[p] = Date.now() - t0;
    progress(`${PHASE_LABELS[p]} ready in ${startupMs[p]} ms`);
    return result;
  };

  try {
    // Keys and the admin token first: they cost a little CPU and nothing else needs to wait for them.
    const { sa, admin } = await timed('pki', async () => ({
      sa: writeServiceAccountKeys(dir),
      admin: writeAdminToken(dir),
    }));

    cluster = await timed('nats', () => startNatsCluster({ name: 'nats-k3s-stack', binary: chartNatsServer() }));
    const natsUrls = cluster.urls;
    const replicas = options.replicas ?? natsUrls.length;
    const kineEndpoint = kineNatsEndpoint(natsUrls, bucket, replicas);

    // kine: a client of the external cluster (setup builds it without the `nats` tag, like K3s).
    const kinePort = await freePort();
    const kineUrl = `http://127.0.0.1:${kinePort}`;
    let kineStarts = 0;
    const kineProc = await timed('kine', async () => {
      for (;;) {
        kineStarts++;
        const kine = new StackProcess(
          'kine',
          t.kine,
          ['--endpoint', kineEndpoint, '--listen-address', `127.0.0.1:${kinePort}`, '--metrics-bind-address', '0'],
          join(dir, 'kine.log'),
        );
        procs.push(kine);
        current = kine;
        try {
          // kine logs this once the bucket exists and its btree replay is done, right after it starts listening.
          await Promise.race([
            kine.waitForLine(/Kine available at /),
            deadline(60_000, 'kine was not ready within 60 s'),
          ]);
          return kine;
        } catch (err) {
          // On a bucket the same kine has just created, the first write can find the new R3 stream not yet
          // answering ("failed to create health key: nats: no response from stream", then FATA), about 1 start in
          // 25 on a busy machine. K3s's supervisor restarts it; so does the stack, twice at most, keeping each log.
          if (kine.running || kineStarts >= MAX_KINE_STARTS) throw err;
          await kine.stop(1_000);
          procs.splice(procs.indexOf(kine), 1);
          renameSync(kine.logFile, join(dir, `kine-failed-${kineStarts}.log`));
          progress(
            `kine exited during start-up (${(err as Error).message}: ${kine.tail.at(-1) ?? 'no output'}); starting it again`,
          );
        }
      }
    });

    const apiPort = await freePort();
    const apiServerUrl = `https://127.0.0.1:${apiPort}`;
    const apiCertDir = join(dir, 'kube-apiserver');
    mkdirSync(apiCertDir);
    let caPem = '';
    const encryptionConfigFile = options.encryptionConfig ? join(dir, 'encryption-config.yaml') : undefined;
    if (encryptionConfigFile) writeFileSync(encryptionConfigFile, options.encryptionConfig!, { mode: 0o600 });
    const apiProc = await timed('kubeApiserver', async () => {
      const api = new StackProcess(
        'kube-apiserver',
        t.kubeApiserver,
        [
          `--etcd-servers=${kineUrl}`,
          '--storage-backend=etcd3',
          '--bind-address=127.0.0.1',
          // Without it the apiserver picks a host interface from the default route, which a machine without
          // network does not have.
          '--advertise-address=127.0.0.1',
          `--secure-port=${apiPort}`,
          // No --tls-cert-file: the apiserver makes a CA and a serving certificate for 127.0.0.1 here.
          `--cert-dir=${apiCertDir}`,
          `--token-auth-file=${admin.file}`,
          '--anonymous-auth=false',
          '--authorization-mode=Node,RBAC',
          '--enable-admission-plugins=NodeRestriction',
          `--service-account-issuer=${K3S_SA_ISSUER}`,
          `--service-account-key-file=${sa.publicKeyFile}`,
          `--service-account-signing-key-file=${sa.privateKeyFile}`,
          `--service-cluster-ip-range=${K3S_SERVICE_CIDR}`,
          // One apiserver, no kubelet: nothing should write the `kubernetes` Endpoints from the advertise address.
          '--endpoint-reconciler-type=none',
          // K3s's order. The default tries Hostname first, and a fake node's host name does not resolve.
          '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
          '--profiling=false',
          ...(encryptionConfigFile
            ? [
                `--encryption-provider-config=${encryptionConfigFile}`,
                '--encryption-provider-config-automatic-reload=true',
              ]
            : []),
        ],
        join(dir, 'kube-apiserver.log'),
      );
      procs.push(api);
      current = api;
      const servingCert = join(apiCertDir, 'apiserver.crt');
      await pollUntil(
        'kube-apiserver /readyz',
        async () => {
          // The certificate is written before the port opens; until then there is nothing to ask.
          if (!existsSync(servingCert)) return false;
          caPem ||= caFromServingBundle(servingCert);
          const res = await httpsGet(`${apiServerUrl}/readyz`, caPem, admin.token);
          return res.status === 200 && res.body.trim() === 'ok';
        },
        api,
        180_000,
        200,
      );
      return api;
    });
    writeFileSync(join(dir, 'ca.crt'), caPem);
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    writeKubeconfig(kubeconfig, {
      server: apiServerUrl,
      caPem,
      token: admin.token,
      context: STACK_CONTEXT,
      user: admin.user,
    });

    const kcmPort = await freePort();
    const kcmCertDir = join(dir, 'kube-controller-manager');
    mkdirSync(kcmCertDir);
    const kcmProc = await timed('kubeControllerManager', async () => {
      const kcm = new StackProcess(
        'kube-controller-manager',
        t.kubeControllerManager,
        [
          `--kubeconfig=${kubeconfig}`,
          `--authentication-kubeconfig=${kubeconfig}`,
          `--authorization-kubeconfig=${kubeconfig}`,
          // The apiserver has no client CA, so kube-system/extension-apiserver-authentication never appears;
          // without this KCM logs an error for it every few seconds.
          '--authentication-skip-lookup=true',
          '--bind-address=127.0.0.1',
          `--secure-port=${kcmPort}`,
          `--cert-dir=${kcmCertDir}`,
          // Its default, /usr/libexec/kubernetes/…, is created at start (and needs root).
          `--flex-volume-plugin-dir=${join(kcmCertDir, 'flexvolume')}`,
          '--leader-elect=false',
          '--controllers=*',
          `--service-account-private-key-file=${sa.privateKeyFile}`,
          `--root-ca-file=${join(dir, 'ca.crt')}`,
          '--use-service-account-credentials=true',
          '--profiling=false',
        ],
        join(dir, 'kube-controller-manager.log'),
      );
      procs.push(kcm);
      current = kcm;
      const kcmCert = join(kcmCertDir, 'kube-controller-manager.crt');
      let kcmCa = '';
      await pollUntil(
        'kube-controller-manager /healthz',
        async () => {
          if (!existsSync(kcmCert)) return false;
          kcmCa ||= caFromServingBundle(kcmCert);
          const res = await httpsGet(`https://127.0.0.1:${kcmPort}/healthz`, kcmCa);
          return res.status === 200;
        },
        kcm,
        60_000,
      );
      // Healthy is not yet working: the service-account controller making `default` in `default` shows the
      // controllers run (and Pods need that account before admission lets them in).
      await pollUntil(
        'the default ServiceAccount (made by kube-controller-manager)',
        async () =>
          (await httpsGet(`${apiServerUrl}/api/v1/namespaces/default/serviceaccounts/default`, caPem, admin.token))
            .status === 200,
        kcm,
        60_000,
      );
      return kcm;
    });

    if ((options.nodes ?? 0) > 0) {
      const nats = cluster;
      current = undefined; // until kwok itself runs
      kwok = await timed('kwok', () =>
        startKwokNodes({
          nodes: options.nodes!,
          dir,
          kubeconfig,
          cluster: nats,
          spawn: (name, binary, args, logFile, group) => {
            const p = new StackProcess(name, binary, args, logFile, group);
            procs.push(p);
            current = p;
            return p;
          },
        }),
      );
    }
    current = undefined;
    startupMs.total = Date.now() - started;

    const stack: K8sStack = {
      natsUrls,
      kineEndpoint,
      kineUrl,
      bucket,
      kubeconfig,
      context: STACK_CONTEXT,
      apiServerUrl,
      caPem,
      token: admin.token,
      cluster,
      ...(encryptionConfigFile ? { encryptionConfigFile } : {}),
      pids: {
        nats: cluster.nodes.map((n) => n.pid ?? -1),
        kine: kineProc.pid,
        kubeApiserver: apiProc.pid,
        kubeControllerManager: kcmProc.pid,
        ...(kwok ? { kwok: kwok.pid, podBinder: kwok.binderPid } : {}),
      },
      nodeNames: kwok?.nodeNames ?? [],
      forwardPodsToNats: async (namespace, statefulSet) => {
        if (!kwok) throw new Error('forwardPodsToNats needs a stack started with `nodes`');
        await kwok.forwardPodsToNats(namespace, statefulSet);
      },
      forwardPodPorts: async (namespace, pod, ports, logLines) => {
        if (!kwok) throw new Error('forwardPodPorts needs a stack started with `nodes`');
        await kwok.forwardPodPorts(namespace, pod, ports, logLines);
      },
      kineStarts,
      startupMs,
      dir,
      stop: (opts) => stopAll(opts?.keepDir ?? options.keepDir ?? false),
    };
    return stack;
  } catch (err) {
    const failed = current as StackProcess | undefined;
    await stopAll(true).catch(() => undefined);
    const reason = (err as Error).message;
    const lines = failed ? ` Last lines of ${failed.logFile}:\n    ${failed.lastLines()}` : '';
    throw new Error(
      `The K3s-shaped stack did not start: the ${PHASE_LABELS[phase]} phase failed (${reason}); everything it started is stopped, logs are kept in ${dir}.${lines}`,
      {
        cause: err,
      },
    );
  }
}
