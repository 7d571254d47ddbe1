/**
 * The values feature checked against the chart itself, with REAL helm 3 and 4 and the real nats-server: every snippet
 * (placeholders at their defaults) and the 0.x seed file after the product's own migration are rendered by chart
 * 2.14.2, the manifests must hold exactly the JetStream, cluster, storage, TLS, auth, leaf node and websocket settings
 * the values ask for, and `nats-server -t` must accept the nats.conf the chart wrote.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { migrateValues } from '../../../../src/core/values/migrateValues';
import { makeTlsCerts, type TlsCerts } from '../../../harness/tlsCerts';
import { repoRoot } from '../../../harness/tools';
import {
  chartDir,
  expandSnippet,
  findObject,
  helmSandbox,
  HELMS,
  natsServerAccepts,
  parseNatsConf,
  renderedObjects,
  SNIPPETS,
  type HelmSandbox,
  type K8sObject,
} from './chartFixture';

const RELEASE = 'k3s';
const NAMESPACE = 'nats';
// The chart's fullname: the release name, plus "-nats" unless it already holds it.
const FULL = 'k3s-nats';

type Values = Record<string, unknown>;

function at(values: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Values)[k] : undefined), values);
}

/** `<< $X >>` and `<< 8MB >>` reach nats.conf bare; parseNatsConf reads them back as the strings `$X` and `8MB`. */
function bareTokens(value: unknown): unknown {
  if (typeof value === 'string') return /^<<\s*(.*?)\s*>>$/.exec(value)?.[1] ?? value;
  if (Array.isArray(value)) return value.map(bareTokens);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bareTokens(v)]));
  return value;
}

/** What a 2.x values file asks of the rendered release, with the chart's own defaults (reference helm-chart.md §1.2). */
interface Asked {
  readonly jetstream?: { readonly max_file_store: string | 0; readonly max_memory_store: string | 0 };
  readonly pvc?: { readonly size: string; readonly storageClassName?: string };
  readonly replicas: number;
  /** Route URLs, one per replica, when the cluster is on. */
  readonly routes?: readonly string[];
}

function asked(values: Values): Asked {
  const js = at(values, 'config.jetstream.enabled') === true;
  const fileStore = at(values, 'config.jetstream.fileStore.enabled') !== false;
  const size = (at(values, 'config.jetstream.fileStore.pvc.size') as string | undefined) ?? '10Gi';
  const storageClassName = at(values, 'config.jetstream.fileStore.pvc.storageClassName') as string | undefined;
  const memory = at(values, 'config.jetstream.memoryStore.enabled') === true;
  const clustered = at(values, 'config.cluster.enabled') === true;
  const replicas = clustered ? ((at(values, 'config.cluster.replicas') as number | undefined) ?? 3) : 1;
  const fqdn = at(values, 'config.cluster.routeURLs.useFQDN') === true ? `.${NAMESPACE}.svc.cluster.local` : '';
  return {
    ...(js
      ? {
          jetstream: {
            max_file_store: fileStore
              ? ((at(values, 'config.jetstream.fileStore.maxSize') as string | undefined) ?? size)
              : 0,
            max_memory_store: memory
              ? ((at(values, 'config.jetstream.memoryStore.maxSize') as string | undefined) ?? '1Gi')
              : 0,
          },
        }
      : {}),
    ...(js && fileStore && at(values, 'config.jetstream.fileStore.pvc.enabled') !== false
      ? { pvc: { size, ...(storageClassName ? { storageClassName } : {}) } }
      : {}),
    replicas,
    ...(clustered
      ? { routes: Array.from({ length: replicas }, (_, i) => `nats://${FULL}-${i}.${FULL}-headless${fqdn}:6222`) }
      : {}),
  };
}

interface Container {
  readonly name: string;
  readonly env?: { name: string; value?: string; valueFrom?: unknown }[];
  readonly resources?: unknown;
}
interface StatefulSetSpec {
  readonly replicas: number;
  readonly volumeClaimTemplates?: {
    metadata: { name: string };
    spec: { resources: { requests: { storage: string } }; storageClassName?: string };
  }[];
  readonly template: {
    spec: {
      containers: Container[];
      volumes: { name: string; secret?: { secretName: string } }[];
      topologySpreadConstraints?: Values[];
    };
  };
}

function statefulSet(objects: readonly K8sObject[]): StatefulSetSpec {
  const sts = findObject(objects, 'StatefulSet', FULL);
  assert.ok(sts, `StatefulSet ${FULL} is rendered`);
  return sts.spec as StatefulSetSpec;
}

function natsConfText(objects: readonly K8sObject[]): string {
  const map = findObject(objects, 'ConfigMap', `${FULL}-config`);
  assert.ok(map, `ConfigMap ${FULL}-config is rendered`);
  return (map.data as Record<string, string>)['nats.conf']!;
}

/** Checks the JetStream, cluster and storage settings against what was asked. */
function assertCore(objects: readonly K8sObject[], want: Asked): void {
  const conf = parseNatsConf(natsConfText(objects));
  const sts = statefulSet(objects);
  if (want.jetstream) {
    const js = conf.jetstream as Values | undefined;
    assert.deepEqual({ max_file_store: js?.max_file_store, max_memory_store: js?.max_memory_store }, want.jetstream);
  } else assert.equal(conf.jetstream, undefined, 'no jetstream block');
  assert.deepEqual((conf.cluster as Values | undefined)?.routes, want.routes);
  assert.equal(sts.replicas, want.replicas);
  const claims = (sts.volumeClaimTemplates ?? []).map((c) => ({
    size: c.spec.resources.requests.storage,
    ...(c.spec.storageClassName ? { storageClassName: c.spec.storageClassName } : {}),
  }));
  assert.deepEqual(claims, want.pvc ? [want.pvc] : []);
}

/** Checks the blocks a snippet may ask for (TLS, auth, leaf nodes, websocket, nats-box, env, resources, spread) and their absence otherwise. */
function assertFeatures(objects: readonly K8sObject[], values: Values): void {
  const conf = parseNatsConf(natsConfText(objects));
  const sts = statefulSet(objects);
  const nats = sts.template.spec.containers.find((c) => c.name === 'nats')!;

  if (at(values, 'config.nats.tls.enabled') === true) {
    assert.deepEqual(conf.tls, { cert_file: '/etc/nats-certs/nats/tls.crt', key_file: '/etc/nats-certs/nats/tls.key' });
    assert.ok(
      sts.template.spec.volumes.some((v) => v.secret?.secretName === at(values, 'config.nats.tls.secretName')),
      'the TLS secret is mounted',
    );
  } else assert.equal(conf.tls, undefined);

  assert.deepEqual(conf.authorization, bareTokens(at(values, 'config.merge.authorization')));

  if (at(values, 'config.leafnodes.enabled') === true) {
    assert.deepEqual(conf.leafnodes, {
      port: 7422,
      no_advertise: true,
      ...(bareTokens(at(values, 'config.leafnodes.merge')) as Values),
    });
  } else assert.equal(conf.leafnodes, undefined);

  const ingress = findObject(objects, 'Ingress', `${FULL}-ws`);
  if (at(values, 'config.websocket.enabled') === true) {
    assert.deepEqual(conf.websocket, { port: 8080, no_tls: true });
    const hosts = at(values, 'config.websocket.ingress.hosts') as string[] | undefined;
    if (at(values, 'config.websocket.ingress.enabled') === true && hosts?.length) {
      assert.ok(ingress, 'the websocket Ingress is rendered');
      const spec = ingress.spec as {
        ingressClassName?: string;
        rules: { host: string }[];
        tls?: { hosts: string[]; secretName: string }[];
      };
      assert.deepEqual(
        spec.rules.map((r) => r.host),
        hosts,
      );
      assert.equal(spec.ingressClassName, at(values, 'config.websocket.ingress.className'));
      assert.deepEqual(spec.tls, [{ hosts, secretName: at(values, 'config.websocket.ingress.tlsSecretName') }]);
    }
  } else {
    assert.equal(conf.websocket, undefined);
    assert.equal(ingress, undefined);
  }

  assert.equal(
    findObject(objects, 'Deployment', `${FULL}-box`) !== undefined,
    at(values, 'natsBox.enabled') !== false,
    'nats-box',
  );

  for (const [name, value] of Object.entries((at(values, 'container.env') as Values | undefined) ?? {})) {
    const env = nats.env?.find((e) => e.name === name);
    assert.deepEqual(
      typeof value === 'string' ? env?.value : env?.valueFrom,
      typeof value === 'string' ? value : (value as Values).valueFrom,
      `env ${name}`,
    );
  }
  if (at(values, 'container.resources') !== undefined)
    assert.deepEqual(nats.resources, at(values, 'container.resources'));

  const spread = at(values, 'podTemplate.topologySpreadConstraints') as Record<string, Values> | undefined;
  assert.deepEqual(
    sts.template.spec.topologySpreadConstraints?.map((c) => ({ ...c, labelSelector: undefined })),
    spread && Object.entries(spread).map(([topologyKey, c]) => ({ ...c, topologyKey, labelSelector: undefined })),
  );
}

/**
 * Runs the rendered nats.conf through `nats-server -t` as the pod would run it: the nats container's env (POD_NAME set,
 * `$(VAR)` expanded, Secret references given a stand-in value), the store and PID file in the sandbox, and the
 * certificate paths under /etc pointed at generated certificates. No snippet `$include`s a file.
 */
async function assertServerAccepts(
  box: HelmSandbox,
  objects: readonly K8sObject[],
  certs: () => TlsCerts,
  name: string,
): Promise<void> {
  const nats = statefulSet(objects).template.spec.containers.find((c) => c.name === 'nats')!;
  const env: Record<string, string> = { POD_NAME: `${FULL}-0` };
  for (const e of nats.env ?? []) {
    if (e.name in env) continue;
    env[e.name] =
      e.value === undefined
        ? `stand-in-for-${e.name}`
        : e.value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_, v: string) => env[v] ?? '');
  }
  const text = natsConfText(objects)
    .replace(/"store_dir": "[^"]*"/, `"store_dir": ${JSON.stringify(join(box.dir, `js-${name}`))}`)
    .replace(/"pid_file": "[^"]*"/, `"pid_file": ${JSON.stringify(join(box.dir, `${name}.pid`))}`)
    .replace(/"(\/etc\/[^"]+)"/g, (_, path: string) => {
      const file = basename(path);
      return JSON.stringify(
        file === 'ca.crt' ? certs().caFile : file.endsWith('.key') ? certs().serverKey : certs().serverCert,
      );
    });
  await natsServerAccepts(box.file(`${name}.conf`, text), env);
}

const seedFile = join(repoRoot, 'test', 'fixtures', 'values', 'seed-0.x.yaml');

for (const helm of HELMS) {
  describe(`values rendered by the real chart 2.14.2 with ${helm}, and checked by nats-server`, () => {
    let box: HelmSandbox;
    let tls: TlsCerts | undefined;
    const certs = () => (tls ??= makeTlsCerts());
    before(() => (box = helmSandbox(helm)));
    after(() => {
      tls?.remove();
      box.remove();
    });

    const render = async (name: string, text: string) =>
      renderedObjects(
        await box.client.template({
          release: RELEASE,
          namespace: NAMESPACE,
          valuesFile: box.file(`${name}.yaml`, text),
          chart: chartDir('2.14.2'),
        }),
      );

    for (const [title, snippet] of Object.entries(SNIPPETS)) {
      it(`snippet "${title}" renders exactly what it asks for, and nats-server accepts its nats.conf`, async () => {
        const text = expandSnippet(snippet.body);
        const values = parse(text) as Values;
        const objects = await render(snippet.prefix, text);
        assertCore(objects, asked(values));
        assertFeatures(objects, values);
        await assertServerAccepts(box, objects, certs, snippet.prefix);
      });
    }

    it('the 0.x seed, migrated as `nats-k3s migrate` does, keeps 3 clustered servers with 1Gi memory and 10Gi file storage, and nats-box', async () => {
      const migrated = migrateValues(readFileSync(seedFile, 'utf8'));
      assert.deepEqual(migrated.notCarried, []);
      const objects = await render('seed-migrated', migrated.text);
      // Stated from the 0.x file's own words, not derived from the migrated values, so a wrong migration shows here.
      assertCore(objects, {
        jetstream: { max_file_store: '10Gi', max_memory_store: '1Gi' },
        pvc: { size: '10Gi' },
        replicas: 3,
        // 0.x routed by FQDN; the migration keeps it.
        routes: [0, 1, 2].map((i) => `nats://${FULL}-${i}.${FULL}-headless.${NAMESPACE}.svc.cluster.local:6222`),
      });
      assert.ok(findObject(objects, 'Deployment', `${FULL}-box`), 'nats-box is deployed');
      await assertServerAccepts(box, objects, certs, 'seed-migrated');
    });

    it('nats-server -t really checks: it refuses the nats.conf when a variable the config uses has no value', async () => {
      const objects = await render('auth-check', expandSnippet(SNIPPETS['NATS: token auth']!.body));
      const conf = box.file('no-token.conf', natsConfText(objects).replace(/\$SERVER_NAME/, '"k3s-nats-0"'));
      await assert.rejects(natsServerAccepts(conf, {}), /variable reference for 'TOKEN'.*can not be found/);
    });
  });
}
