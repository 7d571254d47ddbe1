// The tree's commands run from the command palette, without a node: each asks for the connection, then the stream,
// consumer, bucket or key, as a user picks them, and does what it does from the tree.
import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import * as vscode from 'vscode';
import { KineFixtureWriter } from '../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../generators/kine/fixtureScenario';
import { api } from './explorerHelpers';
import { ScriptedPrompts } from './prompts';

const natsUrl = process.env.NATS_K3S_TEST_NATS_URL!;
const config = () => vscode.workspace.getConfiguration('natsK3s');

describe('extension host: palette paths to streams, consumers, buckets and keys', function () {
  this.timeout(60_000);
  let nc: NatsConnection;
  let prompts: ScriptedPrompts;

  before(async () => {
    nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'PALETTE', subjects: ['palette.>'] });
    await jsm.consumers.add('PALETTE', { durable_name: 'picker', filter_subject: 'palette.>' });
    for (let i = 0; i < 3; i++) await jetstream(nc).publish(`palette.item.${i}`, `item ${i}`);
    const kv = await new Kvm(nc).create('palette-kv', { history: 2 });
    await kv.put('greeting', 'hello from the palette');
    await writeReferenceScenario(await KineFixtureWriter.create(nc, { bucket: 'palette-kine' }));
    await config().update('defaultServerUrl', natsUrl, vscode.ConfigurationTarget.Global);
    await api();
  });

  beforeEach(() => {
    // More than one connection (settings, nats contexts) means a pick; one means none. Either way: 'default'.
    prompts = new ScriptedPrompts().install().always('showQuickPick', /^NATS connection/, 'default');
  });

  afterEach(() => prompts.restore());

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await nc?.close();
  });

  it('Show Stream Info: connection → stream', async () => {
    prompts.once('showQuickPick', /^Stream on 'default'/, 'PALETTE');
    await vscode.commands.executeCommand('natsK3s.stream.info');
    prompts.take();
    const info = JSON.parse(vscode.window.activeTextEditor!.document.getText()) as {
      config: { name: string };
      state: { messages: number };
    };
    assert.equal(info.config.name, 'PALETTE');
    assert.equal(info.state.messages, 3);
  });

  it('Show Consumer Info: connection → stream → consumer', async () => {
    prompts.once('showQuickPick', /^Stream on 'default'/, 'PALETTE');
    prompts.once('showQuickPick', /^Consumer of PALETTE/, 'picker');
    await vscode.commands.executeCommand('natsK3s.consumer.info');
    prompts.take();
    const info = JSON.parse(vscode.window.activeTextEditor!.document.getText()) as {
      name: string;
      num_pending: number;
    };
    assert.equal(info.name, 'picker');
    assert.equal(info.num_pending, 3);
  });

  it('Show Value: connection → bucket → key', async () => {
    prompts.once('showQuickPick', /^KV bucket on 'default'/, 'palette-kv');
    prompts.once('showQuickPick', /^Key in palette-kv/, 'greeting');
    const entry = await vscode.commands.executeCommand<{ revision: number }>('natsK3s.kv.showValue');
    prompts.take();
    assert.equal(vscode.window.activeTextEditor?.document.getText(), 'hello from the palette');
    assert.equal(entry.revision, 1);
  });

  it('Show Kine Bucket Health offers only the buckets that hold kine data', async () => {
    prompts.once('showQuickPick', /^Kine bucket on 'default'/, 'palette-kine');
    await vscode.commands.executeCommand('natsK3s.kine.health');
    const asked = prompts.take().find((p) => /^Kine bucket/.test(p.text));
    assert.ok(asked, 'a bucket pick was shown');
    assert.ok(asked.choices.includes('palette-kine'), asked.choices.join(', '));
    assert.ok(!asked.choices.includes('palette-kv'), `a plain bucket was offered: ${asked.choices.join(', ')}`);
    assert.match(vscode.window.activeTextEditor!.document.getText(), /^# Health of kine bucket 'palette-kine'/);
  });

  it('Escape at any step cancels quietly', async () => {
    prompts.once('showQuickPick', /^Stream on 'default'/, undefined);
    const result = await vscode.commands.executeCommand('natsK3s.stream.purge');
    assert.equal(result, undefined);
    const asked = prompts.take();
    assert.ok(!asked.some((p) => p.kind === 'showErrorMessage' || p.modal), asked.map((p) => p.text).join(' | '));
  });
});
