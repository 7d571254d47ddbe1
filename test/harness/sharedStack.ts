/**
 * One K3s-shaped stack (k8sStack.ts, with one kwok node) shared by every test file of a test process that needs a
 * control plane but not a stack of its own: started on first use, stopped by the root `afterAll` hook that
 * mochaSuite.ts registers. Starting it takes seconds; sharing it keeps a layer from paying that per file. Each file
 * works in namespaces of its own and removes them.
 */
import { startK8sStack, type K8sStack } from './k8sStack';

let shared: Promise<K8sStack> | undefined;

export function sharedStack(): Promise<K8sStack> {
  shared ??= startK8sStack({ nodes: 1 });
  return shared;
}

/** Stops the shared stack if one was started; a failed start has nothing to stop. */
export async function stopSharedStack(): Promise<void> {
  const starting = shared;
  shared = undefined;
  const stack = await starting?.catch(() => undefined);
  await stack?.stop();
}

// Under the mocha command line (`mocha out/test/…/x.test.js`) there is no runMocha() and so no root hook: the first
// test file that imports this module registers it instead. While mocha loads test files its BDD globals exist and a
// top-level `after` belongs to the root suite; runMocha() loads this module before any test file, so it skips this.
const rootAfter = (globalThis as { after?: (fn: () => Promise<void>) => void }).after;
if (typeof rootAfter === 'function') rootAfter(stopSharedStack);
