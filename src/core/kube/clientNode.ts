/**
 * Loads @kubernetes/client-node on demand. The package is ESM-only and pulls in undici 8, which needs Node 22.19 or
 * newer (it calls zlib.createZstdDecompress and worker_threads.markAsUncloneable at load time). Loading it lazily
 * keeps every other core module usable on older Node (the CLI, the plain-Node tests), and turns the version
 * problem into one sentence instead of a crash at startup.
 */
import type * as ClientNode from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { KubeAccessError } from './kubeErrors';

export type ClientNodeModule = typeof ClientNode;

const MIN_NODE = [22, 19] as const;

/** True when this Node can load client-node 2.x (undici 8 needs Node 22.19+). */
export function nodeSupportsClientNode(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

let loading: Promise<ClientNodeModule> | undefined;

/** Imports client-node once; rejects with a KubeAccessError naming the Node version when it cannot load here. */
export function loadClientNode(): Promise<ClientNodeModule> {
  if (!nodeSupportsClientNode()) {
    return Promise.reject(
      new KubeAccessError(
        'node-too-old',
        `Kubernetes access needs Node ${MIN_NODE.join('.')} or newer (its client library uses undici 8), and this is Node ${process.versions.node}: run it with a newer Node.`,
      ),
    );
  }
  loading ??= import('@kubernetes/client-node');
  return loading;
}
