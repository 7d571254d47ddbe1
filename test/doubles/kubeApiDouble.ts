/**
 * TEST DOUBLE for the Kubernetes API server. No test machine has a cluster, so this is a small HTTP server on
 * 127.0.0.1 (free port) that speaks the real protocols client-node uses for the few endpoints we need:
 *   GET    /api/v1/namespaces, GET /api/v1/namespaces/{ns}, POST /api/v1/namespaces
 *   GET    /api/v1/namespaces/{ns}/pods?labelSelector=…   (equality, !=, `key` and `!key` terms)
 *   GET    /api/v1/namespaces/{ns}/persistentvolumeclaims, DELETE …/persistentvolumeclaims/{name}
 *   GET    /api/v1/namespaces/{ns}/pods/{pod}/portforward?ports=N  as a WebSocket with subprotocol
 *          `v4.channel.k8s.io`: channel byte first, each channel opens with the port as 2 bytes little-endian;
 *          channel 0 carries data, channel 1 errors. The data is bridged to a real TCP server (the pod's `forwardTo`,
 *          e.g. a real nats-server), so bytes really flow end to end.
 * Real here: HTTP, JSON, WebSocket framing, TCP. Double: the cluster state, which the test sets up and changes
 * (a pod "restart" drops its streams and replaces the pod). Errors are Kubernetes Status objects.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { acceptWebSocket, type ServerWebSocket } from './webSocketServer';

export interface DoublePod {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly ready: boolean;
  /** Extra status fields (phase, containerStatuses, conditions) merged over the default Running status. */
  readonly status?: Record<string, unknown>;
  readonly containers?: { name: string; ports?: { name: string; containerPort: number }[] }[];
  /** Where port-forward streams to this pod go (a real local TCP server). */
  readonly forwardTo?: { host: string; port: number };
}

export interface DoublePvc {
  readonly name: string;
  readonly namespace: string;
  readonly size?: string;
  readonly labels?: Record<string, string>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
}

export class KubeApiDouble {
  private readonly pods = new Map<string, DoublePod>();
  private readonly pvcs = new Map<string, DoublePvc>();
  private readonly namespaces = new Set<string>(['default', 'kube-system']);
  /** Namespaces where every request answers 403, to test RBAC messages. */
  readonly forbiddenNamespaces = new Set<string>();
  readonly requests: RecordedRequest[] = [];
  private readonly streams = new Map<string, Set<ServerWebSocket>>();
  private readonly sockets = new Set<Duplex>();

  private constructor(private readonly server: Server, readonly port: number) {}

  /** Starts the double on a free port of 127.0.0.1. */
  static async start(): Promise<KubeApiDouble> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const double = new KubeApiDouble(server, typeof address === 'object' && address ? address.port : 0);
    server.on('connection', (s) => {
      double.sockets.add(s);
      s.on('close', () => double.sockets.delete(s));
    });
    server.on('request', (req, res) => double.handle(req, res));
    server.on('upgrade', (req, socket) => double.upgrade(req, socket));
    return double;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Writes a kubeconfig for this double into `dir` with one context (default name `double`); returns its path. */
  writeKubeconfig(dir: string, context = 'double'): string {
    const path = join(dir, `kubeconfig-${context}.yaml`);
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        `current-context: ${context}`,
        'clusters:',
        `- name: ${context}`,
        // client-node 2 refuses a plain-HTTP server unless TLS verification is switched off for it; the double is loopback HTTP.
        `  cluster: {server: "${this.url}", insecure-skip-tls-verify: true}`,
        'users:',
        `- name: ${context}`,
        '  user: {token: double-token}',
        'contexts:',
        `- name: ${context}`,
        `  context: {cluster: ${context}, user: ${context}}`,
        '',
      ].join('\n'),
    );
    return path;
  }

  addNamespace(name: string): void {
    this.namespaces.add(name);
  }

  hasNamespace(name: string): boolean {
    return this.namespaces.has(name);
  }

  addPod(pod: DoublePod): void {
    this.namespaces.add(pod.namespace);
    this.pods.set(`${pod.namespace}/${pod.name}`, pod);
  }

  /** Removes a pod and drops every port-forward stream to it without a close frame (the node's kubelet went away). */
  removePod(namespace: string, name: string): void {
    this.pods.delete(`${namespace}/${name}`);
    for (const ws of this.streams.get(`${namespace}/${name}`) ?? []) ws.destroy();
  }

  /** A pod restart as the cluster shows it: the old pod's streams drop, the old pod is gone, a new one appears. */
  restartPod(namespace: string, oldName: string, replacement: DoublePod): void {
    this.removePod(namespace, oldName);
    this.addPod(replacement);
  }

  /** How many port-forward streams to the pod are open. */
  openStreams(namespace: string, name: string): number {
    return this.streams.get(`${namespace}/${name}`)?.size ?? 0;
  }

  addPvc(pvc: DoublePvc): void {
    this.namespaces.add(pvc.namespace);
    this.pvcs.set(`${pvc.namespace}/${pvc.name}`, pvc);
  }

  pvcNames(namespace: string): string[] {
    return [...this.pvcs.values()].filter((p) => p.namespace === namespace).map((p) => p.name).sort();
  }

  async stop(): Promise<void> {
    for (const set of this.streams.values()) for (const ws of set) ws.destroy();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname + url.search });
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const status = (code: number, reason: string, message: string) => send(code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });
    const parts = url.pathname.split('/').filter(Boolean); // api, v1, namespaces, ns, kind, name
    if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'namespaces') return status(404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
    const ns = parts[3];
    if (ns && this.forbiddenNamespaces.has(ns)) return status(403, 'Forbidden', `${parts[4] ?? 'namespaces'} is forbidden: User "double" cannot ${method.toLowerCase()} in the namespace "${ns}"`);

    if (!ns && method === 'GET') return send(200, { kind: 'NamespaceList', apiVersion: 'v1', metadata: {}, items: [...this.namespaces].map(namespaceObject) });
    if (!ns && method === 'POST') {
      return void readBody(req).then((body) => {
        const name = (body as { metadata?: { name?: string } }).metadata?.name ?? '';
        if (this.namespaces.has(name)) return status(409, 'AlreadyExists', `namespaces "${name}" already exists`);
        this.namespaces.add(name);
        send(201, namespaceObject(name));
      });
    }
    if (ns && parts.length === 4 && method === 'GET') {
      return this.namespaces.has(ns) ? send(200, namespaceObject(ns)) : status(404, 'NotFound', `namespaces "${ns}" not found`);
    }
    if (ns && parts[4] === 'pods' && parts.length === 5 && method === 'GET') {
      const selector = url.searchParams.get('labelSelector') ?? '';
      const items = [...this.pods.values()].filter((p) => p.namespace === ns && matchesSelector(p.labels, selector)).map(podObject);
      return send(200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items });
    }
    if (ns && parts[4] === 'persistentvolumeclaims' && parts.length === 5 && method === 'GET') {
      const items = [...this.pvcs.values()].filter((p) => p.namespace === ns).map(pvcObject);
      return send(200, { kind: 'PersistentVolumeClaimList', apiVersion: 'v1', metadata: {}, items });
    }
    if (ns && parts[4] === 'persistentvolumeclaims' && parts[5] && method === 'DELETE') {
      const pvc = this.pvcs.get(`${ns}/${parts[5]}`);
      if (!pvc) return status(404, 'NotFound', `persistentvolumeclaims "${parts[5]}" not found`);
      this.pvcs.delete(`${ns}/${parts[5]}`);
      return send(200, pvcObject(pvc));
    }
    status(404, 'NotFound', `the double does not serve ${method} ${url.pathname}`);
  }

  private upgrade(req: IncomingMessage, socket: Duplex): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method: 'UPGRADE', path: url.pathname + url.search });
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
    const pod = m ? this.pods.get(`${m[1]}/${m[2]}`) : undefined;
    const port = Number(url.searchParams.get('ports'));
    if (!m || !pod || !port) {
      // A real API server answers a plain HTTP error before the upgrade, and `ws` reports "Unexpected server response: 404".
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${JSON.stringify({ kind: 'Status', code: 404, message: `pods "${m?.[2]}" not found` })}`);
      return;
    }
    const ws = acceptWebSocket(req, socket, ['v4.channel.k8s.io']);
    if (!ws) return;
    const key = `${pod.namespace}/${pod.name}`;
    const set = this.streams.get(key) ?? new Set<ServerWebSocket>();
    this.streams.set(key, set);
    set.add(ws);
    bridge(ws, port, pod.forwardTo);
    ws.onClose(() => set.delete(ws));
  }
}

/** Bridges the port-forward channels to a TCP connection, as the kubelet does inside the pod's network namespace. */
function bridge(ws: ServerWebSocket, port: number, target: { host: string; port: number } | undefined): void {
  const portBytes = Buffer.alloc(2);
  portBytes.writeUInt16LE(port, 0);
  ws.send(Buffer.concat([Buffer.from([0]), portBytes]));
  ws.send(Buffer.concat([Buffer.from([1]), portBytes]));
  const fail = (message: string) => {
    ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(message)]));
    ws.close();
  };
  if (!target) return fail(`an error occurred forwarding ${port} -> ${port}: the double has no target for this pod`);
  const tcp: Socket = connect(target.port, target.host);
  tcp.on('data', (data) => ws.send(Buffer.concat([Buffer.from([0]), data])));
  tcp.on('error', (err) => fail(`an error occurred forwarding ${port} -> ${port}: ${err.message}`));
  tcp.on('close', () => ws.close());
  ws.onMessage((msg) => {
    if (msg[0] === 0 && msg.length > 1) tcp.write(msg.subarray(1));
  });
  ws.onClose(() => tcp.destroy());
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
  });
}

/** Kubernetes label selector semantics for the term kinds the extension sends. */
export function matchesSelector(labels: Record<string, string>, selector: string): boolean {
  return selector
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean)
    .every((term) => {
      if (term.startsWith('!')) return !(term.slice(1) in labels);
      const ne = /^([^!=]+)!=(.*)$/.exec(term);
      if (ne) return labels[ne[1]!] !== ne[2];
      const eq = /^([^=]+)==?(.*)$/.exec(term);
      if (eq) return labels[eq[1]!] === eq[2];
      return term in labels;
    });
}

function namespaceObject(name: string) {
  return { kind: 'Namespace', apiVersion: 'v1', metadata: { name }, status: { phase: 'Active' } };
}

function podObject(p: DoublePod) {
  const containers = p.containers ?? [{ name: 'nats', ports: [{ name: 'nats', containerPort: 4222 }] }];
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
    spec: { nodeName: 'double-node', containers },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False' }],
      containerStatuses: containers.map((c) => ({ name: c.name, ready: p.ready, restartCount: 0, image: 'nats', imageID: '', state: { running: { startedAt: '2026-06-12T10:00:00Z' } } })),
      ...p.status,
    },
  };
}

function pvcObject(p: DoublePvc) {
  return {
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    metadata: { name: p.name, namespace: p.namespace, labels: p.labels ?? {} },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: p.size ?? '10Gi' } }, storageClassName: 'local-path' },
    status: { phase: 'Bound', capacity: { storage: p.size ?? '10Gi' } },
  };
}
