// Recovery as a user would do it on the day the API server is down: `nats-k3s kine export` (the built CLI) writes a
// namespace's objects from the kine bucket kube-apiserver wrote; the namespace is then deleted through the API and,
// once it is gone, the export is applied with the real kubectl. What comes back must have the same data and specs,
// while the objects controllers make (ReplicaSets, Pods) are left to the controllers and made again by them.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { runCliBundle } from '../../harness/cliProcess';
import type { K8sStack } from '../../harness/k8sStack';
import { sharedStack } from '../../harness/sharedStack';
import { repoRoot, tools } from '../../harness/tools';

const run = promisify(execFile);
const NS = 'kine-export';
type Obj = Record<string, any>;

describe('nats-k3s kine export: a namespace deleted through the API and applied back from the export', function () {
  this.timeout(300_000);
  let stack: K8sStack;
  let dir: string;
  const kubectl = async (...args: string[]) =>
    (await run(tools().kubectl, ['--kubeconfig', stack.kubeconfig, ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;
  const getJson = async (what: string): Promise<Obj> => JSON.parse(await kubectl('get', '-n', NS, what, '-o', 'json'));
  const cli = (...args: string[]) =>
    runCliBundle(['kine', 'export', ...args, '--server', stack.natsUrls.join(','), '--bucket', stack.bucket], {
      killAfterMs: 120_000,
    });

  before(async () => {
    stack = await sharedStack();
    dir = mkdtempSync(join(tmpdir(), 'nats-k3s-export-'));
    await kubectl('apply', '-f', join(repoRoot, 'test/integration/cli/kineExportObjects.yaml'));
    await kubectl('wait', '-n', NS, '--for=condition=Available', '--timeout=90s', 'deployment/web');
    await kubectl('wait', '-n', NS, '--for=create', '--timeout=60s', 'pod', '-l', 'job-name=once');
  });
  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (stack) await kubectl('delete', '--ignore-not-found', '--wait=false', `namespace/${NS}`).catch(() => undefined);
  });

  it('leaves Secrets out without --reveal and says how many and how to include them', async () => {
    const r = await cli('--namespace', NS);
    assert.equal(r.code, 0, r.stderr);
    const list = parse(r.stdout) as Obj;
    assert.equal(list.kind, 'List');
    assert.equal(list.apiVersion, 'v1');
    assert.ok(!list.items.some((o: Obj) => o.kind === 'Secret'), 'no Secret without --reveal');
    assert.match(r.stderr, /^1 Secret left out; pass --reveal to include them, in plain text\.$/m);
    assert.doesNotMatch(r.stdout + r.stderr, /s3cret-of-the-export-test/);
  });

  it('writes a List kubectl apply takes, that brings the namespace back with the same data and specs', async () => {
    const before = {
      settings: await getJson('configmap/settings'),
      creds: await getJson('secret/creds'),
      web: await getJson('service/web'),
      headless: await getJson('service/web-headless'),
      deployment: await getJson('deployment/web'),
      job: await getJson('job/once'),
      role: await getJson('role/reader'),
      binding: await getJson('rolebinding/worker-reads'),
    };
    const file = join(dir, 'export.yaml');
    const r = await cli('--namespace', NS, '--reveal', '--output', file);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '', 'the List goes to the file, not stdout');
    assert.match(r.stderr, new RegExp(`^Exported \\d+ objects from /registry/ in namespace ${NS} to ${file}`, 'm'));
    assert.match(r.stderr, /^\d+ objects owned by a controller .* pass --include-generated to include them\.$/m);

    const list = parse(readFileSync(file, 'utf8')) as Obj;
    const items = list.items as Obj[];
    const kinds = items.map((o) => `${o.kind}/${o.metadata.name}`);
    assert.equal(kinds[0], `Namespace/${NS}`, 'the namespace comes first');
    for (const want of [
      'ConfigMap/settings',
      'Secret/creds',
      'Service/web',
      'Deployment/web',
      'Job/once',
      'Role/reader',
    ])
      assert.ok(kinds.includes(want), `${want} is exported: ${kinds.join(', ')}`);
    for (const owned of ['ReplicaSet', 'Pod', 'Event', 'EndpointSlice', 'Endpoints'])
      assert.ok(!items.some((o) => o.kind === owned), `no ${owned}: their controllers make them`);
    assert.ok(!kinds.includes('ConfigMap/kube-root-ca.crt') && !kinds.includes('ServiceAccount/default'));
    assert.ok(kinds.indexOf('ServiceAccount/worker') < kinds.indexOf('Deployment/web'), 'dependencies first');
    for (const o of items) {
      assert.equal(o.status, undefined, `${o.kind}/${o.metadata.name} has no status`);
      for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'ownerReferences'])
        assert.equal(o.metadata[field], undefined, `${o.kind}/${o.metadata.name} has no metadata.${field}`);
    }

    await kubectl('delete', `namespace/${NS}`, '--wait=true', '--timeout=180s');
    await kubectl('wait', '--for=delete', `namespace/${NS}`, '--timeout=180s').catch(() => undefined);
    await assert.rejects(kubectl('get', `namespace/${NS}`), /NotFound|not found/, 'the namespace is gone');

    const applied = await kubectl('apply', '-f', file);
    assert.match(applied, new RegExp(`namespace/${NS} created`));

    const after = {
      settings: await getJson('configmap/settings'),
      creds: await getJson('secret/creds'),
      web: await getJson('service/web'),
      headless: await getJson('service/web-headless'),
      deployment: await getJson('deployment/web'),
      job: await getJson('job/once'),
      role: await getJson('role/reader'),
      binding: await getJson('rolebinding/worker-reads'),
    };
    assert.notEqual(after.settings.metadata.uid, before.settings.metadata.uid, 'made anew');
    assert.deepEqual(after.settings.data, before.settings.data);
    assert.deepEqual(after.settings.binaryData, before.settings.binaryData);
    assert.equal(after.settings.metadata.annotations.note, 'kept across recovery');
    assert.deepEqual(after.creds.data, before.creds.data);
    assert.equal(Buffer.from(after.creds.data.password, 'base64').toString(), 's3cret-of-the-export-test');
    const serviceSpec = (s: Obj) => ({ ports: s.spec.ports, selector: s.spec.selector, type: s.spec.type });
    assert.deepEqual(serviceSpec(after.web), serviceSpec(before.web));
    assert.deepEqual(serviceSpec(after.headless), serviceSpec(before.headless));
    assert.equal(after.headless.spec.clusterIP, 'None', 'a headless Service stays headless');
    assert.match(after.web.spec.clusterIP, /^10\.43\./, 'a Service gets a cluster IP from the allocator again');
    assert.deepEqual(after.deployment.spec, before.deployment.spec);
    assert.deepEqual(after.job.spec.template.spec, before.job.spec.template.spec);
    assert.equal(after.job.spec.backoffLimit, before.job.spec.backoffLimit);
    assert.deepEqual(after.role.rules, before.role.rules);
    assert.deepEqual(
      { roleRef: after.binding.roleRef, subjects: after.binding.subjects },
      { roleRef: before.binding.roleRef, subjects: before.binding.subjects },
    );
    // The controllers make what was left to them: the Deployment's Pods come back.
    await kubectl('wait', '-n', NS, '--for=condition=Available', '--timeout=90s', 'deployment/web');
  });
  it('refuses an export past its limits in one sentence and leaves an existing --output file as it was', async () => {
    const file = join(dir, 'kept.yaml');
    writeFileSync(file, 'the previous export\n');
    const r = await cli('--namespace', NS, '--max-objects', '1', '--output', file);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `^nats-k3s kine: \\d+ objects are under /registry/ in namespace ${NS}, more than the 1 an export takes; .* Nothing was written\\.\n$`,
      ),
    );
    assert.equal(readFileSync(file, 'utf8'), 'the previous export\n');
    const bytes = await cli('--namespace', NS, '--max-bytes', '100', '--output', file);
    assert.equal(bytes.code, 1);
    assert.match(bytes.stderr, /pass 100 B, the most an export writes; .* Nothing was written\.\n$/);
    assert.equal(readFileSync(file, 'utf8'), 'the previous export\n');
  });
});
