import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where scripts/setup.sh put the tools the tests need; it writes out/tools.json. */
export interface Tools {
  readonly node24: string;
  readonly codeServer: string;
  readonly chromium: string;
  /** nats-server at the chart's appVersion (2.14.x), built from its Go module; NATS_K3S_NATS_SERVER overrides it. */
  readonly natsServer: string;
  readonly natsServerVersion: string;
  /** Debian's nats-server 2.9.10, the oldest version supported (the integration layer's compatibility pass). */
  readonly natsServerOldest: string;
  readonly natsServerOldestVersion: string;
  /** The real `nats` CLI (natscli), a baseline in benchmarks and the demo terminal's `nats`. */
  readonly nats: string;
  readonly helm3: string;
  readonly helm4: string;
  readonly kine: string;
  /** kwok: fake nodes for the control-plane stack (no kubelet runs containers here). */
  readonly kwok: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubectl: string;
}

export const repoRoot = join(__dirname, '..', '..', '..');

let cached: Tools | undefined;

export function tools(): Tools {
  const file = join(repoRoot, 'out', 'tools.json');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run 'npm run setup' first (npm test does it for you).`);
  }
  cached ??= JSON.parse(readFileSync(file, 'utf8')) as Tools;
  const found: Partial<Tools> = cached;
  // Environment overrides are read on every call: the compatibility pass and some tests switch the server.
  return {
    node24: process.env.NATS_K3S_NODE24 ?? found.node24 ?? '',
    codeServer: process.env.NATS_K3S_CODE_SERVER ?? found.codeServer ?? '',
    chromium: process.env.NATS_K3S_CHROMIUM ?? found.chromium ?? '/usr/bin/chromium',
    natsServer: process.env.NATS_K3S_NATS_SERVER ?? found.natsServer ?? 'nats-server',
    natsServerVersion: found.natsServerVersion ?? '',
    natsServerOldest: found.natsServerOldest ?? '/usr/sbin/nats-server',
    natsServerOldestVersion: found.natsServerOldestVersion ?? '',
    nats: found.nats ?? 'nats',
    helm3: found.helm3 ?? 'helm',
    helm4: found.helm4 ?? 'helm',
    kine: found.kine ?? 'kine',
    kwok: found.kwok ?? 'kwok',
    kubeApiserver: found.kubeApiserver ?? 'kube-apiserver',
    kubeControllerManager: found.kubeControllerManager ?? 'kube-controller-manager',
    kubectl: found.kubectl ?? 'kubectl',
  };
}

/** The nats-server version this test run starts: the chart's, or Debian's in the compatibility pass. */
export function natsServerVersionUnderTest(): string | undefined {
  const t = tools();
  if (t.natsServer === t.natsServerOldest) return t.natsServerOldestVersion;
  return process.env.NATS_K3S_NATS_SERVER ? undefined : t.natsServerVersion;
}
