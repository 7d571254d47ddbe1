// Secrets that kube-apiserver encrypts at rest, read from the kine bucket: a stack of its own (the shared one stays
// unencrypted) whose apiserver has an EncryptionConfiguration for secrets with an aescbc and a secretbox key. A
// Secret written under each must be reported by the core, the document and every CLI face as encrypted, with its
// provider and key name, and never offered as something --reveal could show.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { runKineCommand } from '../../../../src/cli/kineCommand';
import { KineBucket } from '../../../../src/core/kine/kineBucket';
import { renderKineDocument } from '../../../../src/core/kine/kineDocument';
import { getObject } from '../../../../src/core/kine/kineObject';
import { startK8sStack, type K8sStack } from '../../../harness/k8sStack';
import { tools } from '../../../harness/tools';

const run = promisify(execFile);
const NS = 'at-rest';
const key = () => randomBytes(32).toString('base64');
const CBC = { name: 'cbc-key-1', secret: key() };
const BOX = { name: 'box-key-1', secret: key() };

/** Secrets encrypted with the first provider listed; the others still decrypt what they wrote. */
function encryptionConfig(first: 'aescbc' | 'secretbox'): string {
  const providers = {
    aescbc: `      - aescbc:\n          keys:\n            - name: ${CBC.name}\n              secret: ${CBC.secret}\n`,
    secretbox: `      - secretbox:\n          keys:\n            - name: ${BOX.name}\n              secret: ${BOX.secret}\n`,
  };
  const second = first === 'aescbc' ? 'secretbox' : 'aescbc';
  return `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n${providers[first]}${providers[second]}      - identity: {}\n`;
}

function capture() {
  const io = {
    stdout: '',
    stderr: '',
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}

describe('Secrets encrypted at rest by kube-apiserver (aescbc and secretbox), read from the kine bucket', function () {
  this.timeout(300_000);
  let stack: K8sStack;
  let nc: NatsConnection;
  let bucket: KineBucket;
  const kubectl = async (...args: string[]) =>
    (await run(tools().kubectl, ['--kubeconfig', stack.kubeconfig, ...args])).stdout;
  const cli = async (...args: string[]) => {
    const io = capture();
    const code = await runKineCommand([...args, '--server', stack.natsUrls.join(','), '--bucket', stack.bucket], io);
    return { code, ...io };
  };
  const providerOf = async (name: string) =>
    (await getObject(bucket, `/registry/secrets/${NS}/${name}`)).decoded?.value?.encryption?.provider;

  before(async () => {
    stack = await startK8sStack({ encryptionConfig: encryptionConfig('aescbc') });
    nc = await connect({ servers: stack.natsUrls });
    bucket = await KineBucket.open(nc, stack.bucket);
    await kubectl('create', 'namespace', NS);
    await kubectl('create', 'secret', 'generic', 'under-cbc', '-n', NS, '--from-literal=password=cbc-plain-text');
    // Switch the write provider: the apiserver reloads the file by itself; a Secret written after that is sealed
    // with secretbox. Until the reload lands, each update is still aescbc, so update until kine shows secretbox.
    writeFileSync(stack.encryptionConfigFile!, encryptionConfig('secretbox'));
    await kubectl('create', 'secret', 'generic', 'under-box', '-n', NS, '--from-literal=password=box-plain-text');
    const deadline = Date.now() + 120_000;
    for (let i = 0; (await providerOf('under-box')) !== 'secretbox'; i++) {
      if (Date.now() > deadline) throw new Error('kube-apiserver did not reload its encryption configuration in 120 s');
      await kubectl('annotate', '--overwrite', '-n', NS, 'secret/under-box', `attempt=${i}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  });
  after(async () => {
    await nc?.close();
    await stack?.stop();
  });

  it('the API server still reads both Secrets: the keys are in its configuration', async () => {
    const box = JSON.parse(await kubectl('get', '-n', NS, 'secret/under-box', '-o', 'json'));
    assert.equal(Buffer.from(box.data.password, 'base64').toString(), 'box-plain-text');
  });

  for (const [name, provider, keyName] of [
    ['under-cbc', 'aescbc', CBC.name],
    ['under-box', 'secretbox', BOX.name],
  ] as const) {
    const sentence = `Encrypted at rest by kube-apiserver (provider ${provider}, key '${keyName}'): the key is in the API server's encryption configuration, not in the bucket, so the value cannot be read here`;
    const k = `/registry/secrets/${NS}/${name}`;

    it(`${provider}: the core names provider and key, and the document says it in its header`, async () => {
      const view = await getObject(bucket, k);
      assert.equal(view.decoded?.value?.encoding, 'encrypted');
      assert.deepEqual(view.decoded?.value?.encryption, { provider, version: 'v1', keyName });
      const doc = renderKineDocument(view, { bucket: stack.bucket, reveal: false });
      assert.ok(doc.includes(`# ${sentence}`), doc);
      assert.doesNotMatch(doc, /Reveal Value/, 'no reveal offered for ciphertext');
      assert.doesNotMatch(doc, /plain-text/);
    });

    it(`${provider}: kine get, get --reveal and get --object say so, and never suggest --reveal`, async () => {
      const got = await cli('get', k);
      assert.equal(got.code, 0, got.stderr);
      assert.ok(got.stdout.includes(sentence), got.stdout);
      assert.doesNotMatch(got.stdout, /pass --reveal/);
      const revealed = await cli('get', k, '--reveal');
      assert.equal(revealed.code, 0, revealed.stderr);
      assert.ok(revealed.stderr.includes(`--reveal shows nothing more for ${k}. ${sentence}`), revealed.stderr);
      assert.doesNotMatch(revealed.stdout, /plain-text/);
      const object = await cli('get', k, '--object', '--reveal');
      assert.equal(object.code, 1);
      assert.equal(object.stdout, '');
      assert.ok(object.stderr.includes(`${k} holds no readable object. ${sentence}`), object.stderr);
    });
  }

  it('export --reveal names both Secrets as not exportable, with the sentence, and exports the rest', async () => {
    const exported = await cli('export', '--namespace', NS, '--reveal');
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /kind: Namespace/);
    assert.doesNotMatch(exported.stdout, /kind: Secret/);
    assert.match(exported.stderr, /^2 keys could not be exported:$/m);
    assert.ok(
      exported.stderr.includes(
        `/registry/secrets/${NS}/under-box: Encrypted at rest by kube-apiserver (provider secretbox, key '${BOX.name}')`,
      ),
      exported.stderr,
    );
    assert.ok(
      exported.stderr.includes(
        `/registry/secrets/${NS}/under-cbc: Encrypted at rest by kube-apiserver (provider aescbc, key '${CBC.name}')`,
      ),
    );
  });
  it('exports the whole bucket, with and without generated objects, as Lists the API server accepts', async () => {
    for (const extra of [[], ['--include-generated']]) {
      const exported = await cli('export', ...extra);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(
        exported.stderr,
        /^2 records kube-apiserver keeps for itself .* left out: no API takes them back\.$/m,
      );
      const file = join(stack.dir, `export${extra.length}.yaml`);
      writeFileSync(file, exported.stdout);
      // The server validates every object (schema, admission) without storing it.
      const { stderr } = await run(tools().kubectl, [
        '--kubeconfig',
        stack.kubeconfig,
        'apply',
        '--dry-run=server',
        '-f',
        file,
      ]);
      assert.doesNotMatch(stderr, /^error/im, stderr);
    }
  });
});
