/**
 * Extension host: "Export Objects as YAML…" on the kine tree of the shared stack, through the registered command and
 * its prompts answered as a user would: the save dialog, and the modal that must name how many Secrets would go
 * into the file in plain text. Including them, leaving them out and cancelling the dialog are each checked on the
 * file that was (or was not) written.
 */
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// biome-ignore syntax/correctness/noTypeOnlyImportAttributes: TypeScript takes an ES module's types into CommonJS only with resolution-mode
import type { CoreV1Api } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { loadClientNode } from '../../src/core/kube/clientNode';
import { sharedStack } from '../harness/sharedStack';
import { api, find } from './explorerHelpers';
import { ScriptedPrompts } from './prompts';

const NS = 'kine-host-export';
const config = () => vscode.workspace.getConfiguration('natsK3s');
type Obj = Record<string, any>;

describe('extension host: Export Objects as YAML… on the kine tree', function () {
  this.timeout(120_000);
  let core: CoreV1Api;
  let prompts: ScriptedPrompts;
  let dir: string;

  before(async () => {
    const stack = await sharedStack();
    const k8s = await loadClientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(stack.kubeconfig);
    core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    await core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'creds' }, stringData: { password: 'host-export-secret' } },
    });
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'settings' }, data: { a: '1' } } });
    await config().update('connections', [{ name: 'k3s', servers: stack.natsUrls }], vscode.ConfigurationTarget.Global);
    dir = mkdtempSync(join(tmpdir(), 'nats-k3s-host-export-'));
    prompts = new ScriptedPrompts().install();
  });
  after(async () => {
    prompts?.restore();
    if (dir) rmSync(dir, { recursive: true, force: true });
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await core?.deleteNamespace({ name: NS }).catch(() => undefined);
  });

  const exportNode = async (file: string, ...path: string[]) => {
    prompts.once('showSaveDialog', /^Export the objects under /, file);
    await vscode.commands.executeCommand(
      'natsK3s.kine.export',
      await find(await api(), 'k3s', 'KV Buckets', 'kine', ...path),
    );
    return prompts.take();
  };

  it('asks before Secrets go into the file, naming how many and that they will be in plain text', async () => {
    const file = join(dir, 'secrets.yaml');
    prompts.once('showWarningMessage', /^Include 1 Secret in the export\?/, 'Include Secrets');
    const asked = await exportNode(file, 'secrets', NS);
    const [dialog, modal] = asked;
    assert.equal(dialog.kind, 'showSaveDialog');
    assert.equal(dialog.text, `Export the objects under /registry/secrets/${NS}/ from 'kine'`);
    assert.ok(modal.modal, 'a modal');
    assert.match(
      modal.text,
      new RegExp(`${file.replace(/[/.]/g, '\\$&')} will then hold the data of 1 Secret in plain text`),
    );
    assert.deepEqual(modal.choices, ['Include Secrets', 'Leave Secrets Out']);
    assert.ok(!asked.some((a) => a.kind === 'showErrorMessage'), JSON.stringify(asked));
    const done = asked.find((a) => a.kind === 'showInformationMessage');
    assert.match(done?.text ?? '', new RegExp(`^Exported 1 object from /registry/secrets/${NS}/ to `));
    const list = parse(readFileSync(file, 'utf8')) as Obj;
    assert.equal(list.kind, 'List');
    const secret = list.items.find((o: Obj) => o.metadata.name === 'creds');
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 'host-export-secret');
    assert.equal(secret.metadata.uid, undefined, 'server-owned metadata stripped');
  });

  it('leaves the Secrets out when the user says so, and says so in the summary', async () => {
    const file = join(dir, 'no-secrets.yaml');
    prompts.once('showWarningMessage', /^Include 1 Secret in the export\?/, 'Leave Secrets Out');
    const asked = await exportNode(file, 'secrets', NS);
    const list = parse(readFileSync(file, 'utf8')) as Obj;
    assert.deepEqual(list.items, []);
    assert.match(asked.find((a) => a.kind === 'showInformationMessage')?.text ?? '', /1 Secret left out/);
  });

  it('exports a resource type without a modal when it holds no Secret; Escape at the dialog writes nothing', async () => {
    const file = join(dir, 'configmaps.yaml');
    const asked = await exportNode(file, 'configmaps');
    assert.ok(!asked.some((a) => a.modal), 'no modal without Secrets');
    const names = (parse(readFileSync(file, 'utf8')) as Obj).items.map(
      (o: Obj) => `${o.metadata.namespace}/${o.metadata.name}`,
    );
    assert.ok(names.includes(`${NS}/settings`), names.join(', '));
    assert.ok(!names.some((n: string) => n.endsWith('/kube-root-ca.crt')), 'generated ConfigMaps are left out');
    // The summary offers what was left out: Include Them exports again with the generated objects.
    prompts.once(
      'showInformationMessage',
      /the cluster generates itself left out; choose Include Them/,
      'Include Them',
    );
    await exportNode(file, 'configmaps');
    const again = (parse(readFileSync(file, 'utf8')) as Obj).items.map(
      (o: Obj) => `${o.metadata.namespace}/${o.metadata.name}`,
    );
    assert.ok(again.includes(`${NS}/kube-root-ca.crt`), again.join(', '));
    const none = join(dir, 'cancelled.yaml');
    prompts.once('showSaveDialog', /^Export the objects under /, undefined);
    await vscode.commands.executeCommand(
      'natsK3s.kine.export',
      await find(await api(), 'k3s', 'KV Buckets', 'kine', 'configmaps'),
    );
    assert.deepEqual(
      prompts.take().map((a) => a.kind),
      ['showSaveDialog'],
    );
    assert.ok(!existsSync(none));
  });
});
