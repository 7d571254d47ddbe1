// Services in the explorer, driven through the registered commands against a test service on the runner's server;
// each effect is read back from the service's own STATS reply, not from the extension.
import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { EndpointReply } from '../../src/core/nats/services/endpointRequest';
import type { ServiceDiscovery } from '../../src/core/nats/services/serviceDiscovery';
import { startTestService, type TestService } from '../generators/services/microService';
import { api, EXTENSION_ID, find, labelOf, labelsOf } from './explorerHelpers';
import { ACCEPT, ScriptedPrompts } from './prompts';

const natsUrl = process.env.NATS_K3S_TEST_NATS_URL!;
const config = () => vscode.workspace.getConfiguration('natsK3s');

describe('extension host: services', () => {
  let nc: NatsConnection;
  let prompts: ScriptedPrompts;
  const services: TestService[] = [];

  /** How many requests the `hostcalc` instances counted on `endpoint`, asked directly with `$SRV.STATS`. */
  async function served(endpoint: string): Promise<number> {
    let total = 0;
    for await (const m of await nc.requestMany('$SRV.STATS.hostcalc', '', { strategy: 'stall', maxWait: 2_000 })) {
      const stats = m.json<{ endpoints: { name: string; num_requests: number }[] }>();
      total += stats.endpoints.find((e) => e.name === endpoint)?.num_requests ?? 0;
    }
    return total;
  }

  before(async () => {
    nc = await connect({ servers: natsUrl });
    const endpoints = [
      { name: 'echo', subject: 'hostcalc.echo', handle: (d: Uint8Array) => `echo:${new TextDecoder().decode(d)}` },
      {
        name: 'fail',
        subject: 'hostcalc.fail',
        handle: (): string => {
          throw { code: 500, message: 'division by zero' };
        },
      },
    ];
    services.push(
      startTestService(nc, { name: 'hostcalc', version: '2.0.0', description: 'a calculator', endpoints }),
      startTestService(nc, { name: 'hostcalc', version: '2.0.0', endpoints }),
    );
    await nc.flush();
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    (await api()).connections.applyReadOnly();
    prompts = new ScriptedPrompts().install();
    // The palette commands ask for a connection when there are several.
    prompts.always('showQuickPick', /^NATS connection/, 'default');
  });

  after(async () => {
    prompts?.restore();
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const s of services) await s.stop();
    await nc?.close();
  });

  afterEach(() => prompts.take());

  it('shows each service with its instances, round trips and endpoints under the connection', async () => {
    const a = await api();
    const service = await find(a, 'default', 'Services', 'hostcalc');
    assert.match(String(a.explorer.getTreeItem(service).description), /^2 instances · 2\.0\.0$/);
    const instances = await a.explorer.getChildren(service);
    assert.deepEqual(instances.map((n) => labelOf(a, n)).sort(), services.map((s) => s.id).sort());
    for (const instance of instances)
      assert.match(String(a.explorer.getTreeItem(instance).description), /^2\.0\.0 · \d+\.\d ms · 2 endpoints$/);
    assert.deepEqual(await labelsOf(a, instances[0]), ['echo', 'fail']);
    const echo = (await a.explorer.getChildren(instances[0]))[0]!;
    assert.match(String(a.explorer.getTreeItem(echo).description), /^hostcalc\.echo · \d+ req · 0 err · avg /);
    assert.equal(a.explorer.getTreeItem(echo).contextValue, 'serviceEndpoint');
  });

  it('Show Services from the palette opens what discovery found as JSON', async () => {
    const found = await vscode.commands.executeCommand<ServiceDiscovery>('natsK3s.services.show');
    assert.ok(found, 'the command returns what it found');
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.languageId, 'json');
    const shown = JSON.parse(doc!.getText()) as { services: { name: string; instances: { id: string }[] }[] };
    const calc = shown.services.find((s) => s.name === 'hostcalc');
    assert.deepEqual(calc?.instances.map((i) => i.id).sort(), services.map((s) => s.id).sort());
  });

  it('requests an endpoint from its node with the payload typed in the input box', async () => {
    const a = await api();
    const before = await served('echo');
    const endpoint = await find(a, 'default', 'Services', 'hostcalc', services[0]!.id, 'echo');
    prompts.once('showInputBox', /^Request hostcalc\.echo/, '21*2');
    const reply = await vscode.commands.executeCommand<EndpointReply>('natsK3s.service.request', endpoint);
    assert.equal(reply?.payload.text, 'echo:21*2');
    assert.equal(vscode.window.activeTextEditor?.document.getText(), 'echo:21*2');
    assert.equal(await served('echo'), before + 1);
  });

  it('requests an endpoint picked from the palette', async () => {
    const before = await served('echo');
    prompts.once('showQuickPick', /^Service endpoint/, 'echo');
    prompts.once('showInputBox', /^Request hostcalc\.echo/, 'from palette');
    const reply = await vscode.commands.executeCommand<EndpointReply>('natsK3s.service.request');
    assert.equal(reply?.payload.text, 'echo:from palette');
    assert.equal(await served('echo'), before + 1);
  });

  it('shows a service error as one sentence naming the subject', async () => {
    const a = await api();
    const endpoint = await find(a, 'default', 'Services', 'hostcalc', services[0]!.id, 'fail');
    const reply = await vscode.commands.executeCommand('natsK3s.service.request', endpoint, { payload: '1/0' });
    assert.equal(reply, undefined);
    const errors = prompts.take().filter((p) => p.kind === 'showErrorMessage');
    assert.deepEqual(
      errors.map((e) => e.text),
      ['The endpoint hostcalc.fail answered with error 500: division by zero.'],
    );
  });

  it('read-only hides Request in menus and refuses it even when the user would confirm everything', async () => {
    const a = await api();
    const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus as Record<
      string,
      { command: string; when?: string }[]
    >;
    const entries = [...menus['view/item/context']!, ...menus.commandPalette!].filter(
      (m) => m.command === 'natsK3s.service.request',
    );
    assert.ok(entries.length >= 2);
    for (const m of entries) assert.match(m.when ?? '', /!config\.natsK3s\.readOnly/);

    const endpoint = await find(a, 'default', 'Services', 'hostcalc', services[0]!.id, 'echo');
    const before = await served('echo');
    await config().update('readOnly', true, vscode.ConfigurationTarget.Global);
    a.connections.applyReadOnly();
    const yes = new ScriptedPrompts().install();
    yes.always('showInputBox', /./, 'sneaky').always('showQuickPick', /./, ACCEPT);
    yes.always('showWarningMessage', /./, ACCEPT);
    try {
      assert.equal(await vscode.commands.executeCommand('natsK3s.service.request', endpoint), undefined);
      assert.equal(
        await vscode.commands.executeCommand('natsK3s.service.request', undefined, {
          subject: 'hostcalc.echo',
          payload: 'x',
        }),
        undefined,
      );
      const errors = yes.take().filter((p) => p.kind === 'showErrorMessage');
      assert.equal(errors.length, 2);
      for (const e of errors) assert.match(e.text, /read-only/i);
      // Browsing still works in read-only mode.
      assert.deepEqual(await labelsOf(a, await find(a, 'default', 'Services')), ['hostcalc']);
    } finally {
      yes.restore();
      await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
      a.connections.applyReadOnly();
    }
    assert.equal(await served('echo'), before);
  });
});
