// What the explorer tells the user: request failures that say what happened, counts that say what they count and
// follow this window's own writes, and the server row's name. Driven through registered commands against the
// runner's nats-server 2.14, prompts answered (and recorded) by ScriptedPrompts.
import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import * as vscode from 'vscode';
import type { NatsK3sApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/vscode/explorer/explorerNodes';
import { api, find, labelOf, until } from './explorerHelpers';
import { ScriptedPrompts } from './prompts';

const natsUrl = process.env.NATS_K3S_TEST_NATS_URL!;
const config = () => vscode.workspace.getConfiguration('natsK3s');

function description(a: NatsK3sApi, node: ExplorerNode): string {
  return String(a.explorer.getTreeItem(node).description ?? '');
}

function tooltip(a: NatsK3sApi, node: ExplorerNode): string {
  const t = a.explorer.getTreeItem(node).tooltip;
  return typeof t === 'string' ? t : (t?.value ?? '');
}

/** The error notifications shown since the last call. */
function errorsShown(prompts: ScriptedPrompts): { text: string; choices: readonly string[] }[] {
  return prompts.take().filter((p) => p.kind === 'showErrorMessage');
}

describe('extension host: what the explorer says (requests, counts, server row)', () => {
  let nc: NatsConnection;
  let prompts: ScriptedPrompts;

  before(async () => {
    nc = await connect({ servers: natsUrl });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'FEEDBACK', subjects: ['feedback.>'] });
    const kv = await new Kvm(nc).create('feedback-config', { history: 5 });
    await kv.put('colour', 'blue');
    await kv.put('size', 'small');
    await kv.put('size', 'large');
    await config().update('defaultServerUrl', natsUrl, vscode.ConfigurationTarget.Global);
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    const a = await api();
    a.connections.applyReadOnly();
    await until(
      a.explorer.onDidChangeTreeData,
      async () => (await a.explorer.getChildren()).some((n) => labelOf(a, n) === 'default'),
      'the default connection',
    );
  });

  beforeEach(() => {
    prompts = new ScriptedPrompts().install();
  });

  afterEach(() => prompts.restore());

  after(async () => {
    await nc?.close();
  });

  it('a request that times out while this window samples every subject says so and names the subject', async () => {
    const a = await api();
    const subjects = await find(a, 'default', 'Subjects');
    await a.explorer.getChildren(subjects); // expanding starts the sample on '>'
    assert.match(description(a, subjects), /sampling$/);
    await vscode.commands.executeCommand('natsK3s.request', await find(a, 'default'), {
      subject: 'nobody.serves.this',
      payload: 'ping',
      timeoutMs: 400,
    });
    const [shown] = errorsShown(prompts);
    assert.ok(shown, 'an error was shown');
    assert.match(shown.text, /^No reply on nobody\.serves\.this within 400 ms\. This window's Subjects sample/);
    assert.doesNotMatch(shown.text, /unreachable|not a NATS port/);
    assert.deepEqual(shown.choices, ['Stop the Subjects Sample']);

    // The button stops the sample and keeps it stopped while the node stays open.
    const conn = await find(a, 'default');
    await vscode.commands.executeCommand('natsK3s.subjects.stopSample', conn.kind === 'connection' ? conn.conn.id : '');
    assert.match(description(a, subjects), /stopped$/);
    await a.explorer.getChildren(subjects); // a redraw of the open node does not start it again
    assert.match(description(a, subjects), /stopped$/);

    // The sample's own connection closes after it stops; the server then knows nobody listens.
    // Each probe is a request that waits at most 300 ms: no fixed sleep.
    let gone = false;
    for (let i = 0; i < 30 && !gone; i++)
      gone = await nc.request('nobody.serves.this', '', { timeout: 300 }).then(
        () => false,
        (err: Error) => /no responders/i.test(err.message),
      );
    assert.ok(gone, 'the sample let go of its interest in every subject');
    await vscode.commands.executeCommand('natsK3s.request', conn, {
      subject: 'nobody.serves.this',
      payload: 'ping',
      timeoutMs: 400,
    });
    const [again] = errorsShown(prompts);
    assert.match(again?.text ?? '', /^No responders for nobody\.serves\.this: nothing on the server subscribes to it/);
  });

  it('a request to a service that does not answer blames the service, not the network', async () => {
    const a = await api();
    const silent = nc.subscribe('silent.service', { callback: () => undefined });
    await nc.flush();
    try {
      await vscode.commands.executeCommand('natsK3s.request', await find(a, 'default'), {
        subject: 'silent.service',
        payload: 'ping',
        timeoutMs: 300,
      });
    } finally {
      silent.unsubscribe();
    }
    const [shown] = errorsShown(prompts);
    assert.match(shown?.text ?? '', /^No reply on silent\.service within 300 ms: something subscribes/);
    assert.doesNotMatch(shown?.text ?? '', /unreachable|not a NATS port/);
  });

  it('the Subjects node says over what time its counts were taken', async () => {
    const a = await api();
    const subjects = await find(a, 'default', 'Subjects');
    a.explorer.expanded(subjects); // as the view reports a user's expand: a stopped sample starts again
    await a.explorer.getChildren(subjects);
    assert.match(description(a, subjects), /^\d+ subjects? · \d+ msgs? in \d+ s · sampling$/);
    assert.match(tooltip(a, subjects), /seen in the \d+ s since it started, not totals/);
    a.explorer.collapsed(subjects);
  });

  it('stream and bucket counts say what they count and agree with the rows listed', async () => {
    const a = await api();
    const listedStreams = (await a.explorer.getChildren(await find(a, 'default', 'Streams'))).length;
    const listedBuckets = (await a.explorer.getChildren(await find(a, 'default', 'KV Buckets'))).length;
    const jetstream = (await a.explorer.getChildren(await find(a, 'default', 'Server'))).find(
      (n) => labelOf(a, n) === 'JetStream on',
    );
    assert.ok(jetstream, 'a JetStream on row');
    const counts = /^(\d+) streams?, (\d+) KV buckets? · \d+ consumers?$/.exec(description(a, jetstream));
    assert.ok(counts, description(a, jetstream));
    assert.equal(Number(counts[1]), listedStreams, 'streams named on the server row = rows under Streams');
    assert.equal(Number(counts[2]), listedBuckets, 'KV buckets on the server row = rows under KV Buckets');
    assert.equal(description(a, await find(a, 'default', 'Streams')), 'KV and object store streams hidden');

    // Two keys, one of them written twice: keys and kept entries are two counts, each named.
    const bucket = await find(a, 'default', 'KV Buckets', 'feedback-config');
    assert.match(description(a, bucket), /^2 keys · 3 entries · /);
  });

  it('a publish from this window redraws the stream that stored it', async () => {
    const a = await api();
    // The Streams node as the view holds it now (each redraw of a connection makes new list nodes).
    const conn = await find(a, 'default');
    const streams = (await a.explorer.getChildren(conn)).find((n) => labelOf(a, n) === 'Streams')!;
    const before = (await a.explorer.getChildren(streams)).find((n) => labelOf(a, n) === 'FEEDBACK');
    assert.match(description(a, before!), /^0 msgs/);
    const redrawn: (ExplorerNode | undefined)[] = [];
    const sub = a.explorer.onDidChangeTreeData((n) => redrawn.push(n ?? undefined));
    try {
      const stored = await vscode.commands.executeCommand<{ stream?: string; seq?: number }>('natsK3s.publish', conn, {
        subject: 'feedback.orders.new',
        payload: '{"id":1}',
      });
      assert.deepEqual(stored, { stream: 'FEEDBACK', seq: 1 });
    } finally {
      sub.dispose();
    }
    assert.ok(
      redrawn.some((n) => n === streams),
      `the Streams list redraws; redrawn: ${redrawn.map((n) => n?.kind).join(', ')}`,
    );
    const after = (await a.explorer.getChildren(streams)).find((n) => labelOf(a, n) === 'FEEDBACK');
    assert.match(description(a, after!), /^1 msg · /);
    const info = prompts.take().find((p) => p.kind === 'showInformationMessage');
    assert.match(info?.text ?? '', /stored in FEEDBACK as message 1\.$/);
  });

  it('the server row shows name, cluster and version; the server ID only in its tooltip', async () => {
    const a = await api();
    const server = await find(a, 'default', 'Server');
    const info = server.kind === 'server' ? server.conn.session?.connection().info : undefined;
    assert.ok(info, 'the connection is up');
    // The runner's server has no server_name, so it reports its ID as its name: no row repeats the 56 characters.
    assert.match(description(a, server), new RegExp(`v${info.version.replace(/\./g, '\\.')}$`));
    assert.ok(!description(a, server).includes(info.server_id), description(a, server));
    assert.match(tooltip(a, server), new RegExp(`server ID ${info.server_id}`));
    const version = (await a.explorer.getChildren(server))[0]!;
    assert.equal(labelOf(a, version), `nats-server ${info.version}`);
    assert.ok(!description(a, version).includes(info.server_id), description(a, version));
    assert.match(tooltip(a, version), new RegExp(`server ID ${info.server_id}`));
  });
});
