// Every values snippet the extension offers, installed for real: REAL helm v3 and v4 install the real chart 2.14.2
// with the snippet as the user gets it after tabbing through, into the shared K3s-shaped stack (sharedStack.ts:
// kube-apiserver on kine on the 3-node NATS cluster, kube-controller-manager making the StatefulSet's Pods and
// claims). kwok plays the kubelet (no machine here runs containers): it marks the Pods Ready, so `helm --wait`
// returns, and the product's readiness report reads the real Pods. The Secrets a snippet names are created first, as
// its users must. renderedConfig.test.ts checks what each snippet renders and that nats-server accepts it.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { parse } from 'yaml';
import { HelmClient } from '../../../../src/core/helm/helmClient';
import { loadClientNode } from '../../../../src/core/kube/clientNode';
import { ClusterClient } from '../../../../src/core/kube/clusterClient';
import { rolloutReport } from '../../../../src/core/kube/rolloutReport';
import type { K8sStack } from '../../../harness/k8sStack';
import { sharedStack } from '../../../harness/sharedStack';
import { makeTlsCerts, type TlsCerts } from '../../../harness/tlsCerts';
import { chartDir, expandSnippet, helmSandbox, HELMS, SNIPPETS, type HelmSandbox } from './chartFixture';

type Values = Record<string, unknown>;

/** Runs at most `size` of the functions given to it at once, in the order given. */
function limiter(size: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (running >= size) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
      return await fn();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
const at = (values: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Values)[k] : undefined), values);

describe('each values snippet installed by real helm into the K3s-shaped stack', function () {
  this.timeout(180_000);
  let stack: K8sStack;
  let certs: TlsCerts;
  let core: CoreV1Api;
  let networking: NetworkingV1Api;
  let cluster: ClusterClient;

  before(async () => {
    stack = await sharedStack();
    certs = makeTlsCerts();
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    networking = kc.makeApiClient(k8s.NetworkingV1Api);
    cluster = await ClusterClient.open({ kubeconfigPaths: [stack.kubeconfig] });
    // The installs start together (see `cases` below); each test awaits its own.
    const limit = limiter(4);
    for (const c of cases) {
      const run = limit(c.run);
      // This only keeps a failure from counting as unhandled before its test looks.
      run.catch(() => undefined);
      runs.set(c.key, run);
    }
  });
  after(() => certs?.remove());

  /** The Secrets the snippet's values name (TLS, passwords, tokens), as its users create them before installing. */
  async function createSecrets(namespace: string, values: Values): Promise<void> {
    const tls = (name: unknown) => (typeof name === 'string' ? [name] : []);
    for (const name of [
      ...tls(at(values, 'config.nats.tls.secretName')),
      ...tls(at(values, 'config.websocket.ingress.tlsSecretName')),
    ]) {
      await core.createNamespacedSecret({
        namespace,
        body: {
          metadata: { name },
          type: 'kubernetes.io/tls',
          stringData: {
            'tls.crt': readFileSync(certs.serverCert, 'utf8'),
            'tls.key': readFileSync(certs.serverKey, 'utf8'),
            'ca.crt': readFileSync(certs.caFile, 'utf8'),
          },
        },
      });
    }
    const env = (at(values, 'container.env') ?? {}) as Record<
      string,
      { valueFrom?: { secretKeyRef?: { name: string; key: string } } }
    >;
    const refs = Object.values(env).flatMap((e) => (e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef] : []));
    for (const ref of refs)
      await core.createNamespacedSecret({
        namespace,
        body: { metadata: { name: ref.name }, stringData: { [ref.key]: 's3cret-for-tests' } },
      });
  }

  /** Installs one snippet with one helm, checks what the cluster made of it, and uninstalls it. */
  async function installAndCheck(
    i: number,
    snippet: { body: string[] },
    helmName: (typeof HELMS)[number],
  ): Promise<void> {
    const namespace = `snip-${i}-${helmName}`;
    const text = expandSnippet(snippet.body);
    const values = parse(text) as Values;
    const box: HelmSandbox = helmSandbox(helmName);
    try {
      const helm = new HelmClient({ helmPath: box.helmPath, kubeconfigPaths: [stack.kubeconfig], env: box.env });
      await core.createNamespace({ body: { metadata: { name: namespace } } });
      await createSecrets(namespace, values);
      await helm.upgradeInstall({
        release: 'nats',
        namespace,
        valuesFile: box.file('values.yaml', text),
        chart: chartDir('2.14.2'),
        waitTimeoutSeconds: 120,
      });

      const [status] = await helm.history({ release: 'nats', namespace });
      assert.equal(status?.status, 'deployed');
      const clustered = at(values, 'config.cluster.enabled') === true;
      const replicas = clustered ? ((at(values, 'config.cluster.replicas') as number | undefined) ?? 3) : 1;
      const servers = await cluster.listChartPods('nats', namespace, 'nats');
      const boxPods = await cluster.listChartPods('nats', namespace, 'nats-box');
      const report = rolloutReport('nats', namespace, servers, boxPods);
      assert.ok(report.ready, report.sentence);
      assert.equal(servers.pods.length, replicas, report.sentence);
      assert.equal(boxPods.pods.length, at(values, 'natsBox.enabled') === false ? 0 : 1, report.sentence);

      const jetstream =
        at(values, 'config.jetstream.enabled') === true && at(values, 'config.jetstream.fileStore.enabled') !== false;
      const claims = await cluster.listReleasePvcs('nats', namespace);
      assert.deepEqual(
        claims.map((c) => c.name),
        jetstream ? Array.from({ length: replicas }, (_, n) => `nats-js-nats-${n}`) : [],
      );
      if (at(values, 'config.websocket.ingress.enabled') === true) {
        const [ingress] = (await networking.listNamespacedIngress({ namespace })).items;
        assert.deepEqual(
          ingress?.spec?.rules?.map((r) => r.host),
          at(values, 'config.websocket.ingress.hosts'),
        );
      }

      await helm.uninstall({ release: 'nats', namespace });
      assert.deepEqual(
        (await helm.listReleases()).filter((r) => r.namespace === namespace),
        [],
      );
    } finally {
      box.remove();
      await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    }
  }

  // The installs run side by side, a few at a time, as a cluster with several teams' releases would see them: one
  // after another they took minutes, most of it helm waiting between its readiness polls.
  const runs = new Map<string, Promise<void>>();
  const cases = Object.entries(SNIPPETS).flatMap(([title, snippet], i) =>
    HELMS.map((helmName) => ({
      key: `${title} ${helmName}`,
      title,
      helmName,
      run: () => installAndCheck(i, snippet, helmName),
    })),
  );

  for (const c of cases) {
    it(`"${c.title}" with ${c.helmName}: installed, its pods ready, its claims and objects there, then uninstalled`, async () => {
      await runs.get(c.key);
    });
  }
});
