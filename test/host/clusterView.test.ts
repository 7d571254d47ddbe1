// The Cluster node and its commands on a real 3-node JetStream cluster, through the registered commands: every server
// with its routes (the system account) or only the connected one with the reason (an ordinary account); JetStream
// health with a follower killed (offline) and restarted (current); a server's connections through the sort quick
// pick and paged; the account's limits. On Debian's 2.9.10 the features 2.11 brought show disabled with the version.
import * as assert from 'node:assert/strict';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { AccountReport } from '../../src/core/nats/cluster/accountInfo';
import type { JetStreamHealth } from '../../src/core/nats/cluster/jetstreamHealth';
import type { ConnectionPage } from '../../src/core/nats/cluster/serverConnections';
import type { NatsK3sApi } from '../../src/extension';
import { startNatsCluster, type NatsCluster } from '../harness/natsCluster';
import { tools } from '../harness/tools';
import { api, find, labelOf, labelsOf, until } from './explorerHelpers';
import { ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');

/** Expands the connection (that opens its session, as in the view) and waits until it is connected. */
async function connected(a: NatsK3sApi, name: string): Promise<void> {
  await a.explorer.getChildren(await find(a, name));
  await until(
    a.connections.onDidChange,
    async () => (await a.connections.list()).find((c) => c.spec.name === name)?.session?.state.kind === 'connected',
    `'${name}' to connect`,
    30_000,
  );
}

const activeText = () => vscode.window.activeTextEditor?.document.getText() ?? '';

/** Runs the health command (as the user clicking the node again) until `pred` holds: the server has no event for it. */
async function healthUntil(
  node: unknown,
  pred: (h: JetStreamHealth) => boolean,
  what: string,
): Promise<JetStreamHealth> {
  const deadline = Date.now() + 60_000;
  let last: JetStreamHealth | undefined;
  for (;;) {
    last = await vscode.commands.executeCommand<JetStreamHealth>('natsK3s.cluster.jetstreamHealth', node);
    if (last && pred(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(last).slice(0, 1500)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('extension host: the Cluster node on a 3-node JetStream cluster', function () {
  this.timeout(240_000);
  let cluster: NatsCluster;
  let outside: NatsConnection;
  let prompts: ScriptedPrompts;

  before(async () => {
    cluster = await startNatsCluster();
    outside = await connect({ servers: cluster.urls, name: 'orders-writer' });
    const jsm = await jetstreamManager(outside, { timeout: 30_000 });
    await jsm.streams.add({ name: 'ORDERS', subjects: ['orders.>'], num_replicas: 3 });
    await jsm.consumers.add('ORDERS', { durable_name: 'shipper', ack_policy: 'explicit' as never });
    await config().update(
      'connections',
      [
        { name: 'ha-sys', servers: cluster.urls.join(','), auth: { kind: 'userPassword', user: 'sys' } },
        { name: 'ha', servers: cluster.urls.join(',') },
      ],
      vscode.ConfigurationTarget.Global,
    );
    prompts = new ScriptedPrompts().install();
  });
  after(async () => {
    prompts?.restore();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await outside?.close();
    await cluster?.stop();
  });

  it('lists every server with its routes for the system account, and only the connected one otherwise', async () => {
    const a = await api();
    await until(
      a.connections.onDidChange,
      async () => (await a.connections.list()).some((c) => c.spec.name === 'ha-sys'),
      'the connections',
    );
    await vscode.commands.executeCommand('natsK3s.connection.setSecret', await find(a, 'ha-sys'), { secret: 'sys' });
    await connected(a, 'ha-sys');
    assert.deepEqual((await labelsOf(a, await find(a, 'ha-sys'))).slice(0, 2), ['Server', 'Cluster']);
    const sysCluster = await find(a, 'ha-sys', 'Cluster');
    const children = await a.explorer.getChildren(sysCluster);
    assert.deepEqual(
      children.map((n) => labelOf(a, n)),
      ['JetStream health', 'Account', 'n1', 'n2', 'n3'],
    );
    const version = outside.info!.version;
    for (const n of children.filter((c) => c.kind === 'clusterServer'))
      assert.match(
        String(a.explorer.getTreeItem(n).description),
        new RegExp(
          `^v${version.replace(/\./g, '\\.')} · nats-k3s · 2 routes · 0 gateways · 0 leafnodes · \\d+ connections?`,
        ),
      );

    await connected(a, 'ha');
    const plain = await a.explorer.getChildren(await find(a, 'ha', 'Cluster'));
    assert.deepEqual(plain.map((n) => labelOf(a, n)).slice(0, 3), [
      'JetStream health',
      'Account',
      'Only this server: not the system account',
    ]);
    assert.equal(plain.filter((n) => n.kind === 'clusterServer').length, 1);
    assert.match(String(a.explorer.getTreeItem(plain[2]!).tooltip), /system_account/);
  });

  it('shows JetStream health through its command: a killed follower offline, then current again', async () => {
    const a = await api();
    const node = await find(a, 'ha-sys', 'Cluster');
    const healthy = await healthUntil(
      node,
      (h) => h.assets.length === 2 && h.assets.every((x) => !x.placement?.degraded) && h.meta?.replicas.length === 3,
      'a healthy cluster',
    );
    assert.match(activeText(), /^# JetStream health of ha-sys/);
    assert.match(activeText(), /## Meta group/);
    assert.match(activeText(), /All 2 streams and consumers have a leader and every replica current\./);
    const orders = healthy.assets.find((x) => x.stream === 'ORDERS' && !x.consumer)!;
    const follower = orders.placement!.replicas.find((r) => !r.leader)!.name;
    const dead = cluster.nodes.find((n) => n.name === follower)!;
    await dead.kill();
    try {
      await healthUntil(
        node,
        (h) =>
          h.assets
            .find((x) => x.stream === 'ORDERS' && !x.consumer)
            ?.placement?.replicas.find((r) => r.name === follower)?.state === 'offline',
        `${follower} offline`,
      );
      // The document is the same one, updated: VS Code reads the new text after the change event.
      await until(
        vscode.workspace.onDidChangeTextDocument,
        () => activeText().includes(`${follower} offline`),
        'the document to say so',
      );
      assert.match(activeText(), /\*\*degraded\*\*/);
    } finally {
      await dead.restart();
    }
    await healthUntil(node, (h) => h.assets.every((x) => !x.placement?.degraded), 'every replica current again');
    await until(
      vscode.workspace.onDidChangeTextDocument,
      () => !activeText().includes('offline'),
      'the document to be healthy',
    );
    assert.match(activeText(), /All 2 streams and consumers have a leader and every replica current\./);
  });

  it('lists a server’s connections in the order picked, paged, and the account’s limits', async () => {
    const a = await api();
    const servers = (await a.explorer.getChildren(await find(a, 'ha-sys', 'Cluster'))).filter(
      (n) => n.kind === 'clusterServer',
    );
    // While the killed node's clients moved, a health read may have failed, saying so in one sentence; a node just
    // restarted gives no JetStream answer until its JetStream is up.
    for (const p of prompts.take().filter((x) => x.kind === 'showErrorMessage'))
      assert.match(
        p.text,
        /^(Lost the connection to .* during reading the cluster: the server stopped or closed it\.|JetStream did not answer on the server: it is not enabled there, or the server has just started)/,
      );
    const where = servers.find((n) => n.kind === 'clusterServer' && n.server.name === outside.info!.server_name)!;
    prompts.once('showQuickPick', /^Connections of /, 'By pending bytes');
    const page = await vscode.commands.executeCommand<ConnectionPage>('natsK3s.cluster.connections', where);
    assert.ok(page.rows.some((r) => r.name === 'orders-writer'));
    assert.match(activeText(), /^# Connections of n\d, by pending bytes/);
    assert.match(activeText(), /orders-writer/);
    assert.deepEqual(
      prompts
        .take()
        .filter((p) => p.kind === 'showQuickPick')
        .map((p) => p.choices),
      [['By message rate', 'By pending bytes']],
    );

    // One a page: the next page is offered as a button. A second client on that node makes sure there is a next
    // page, whichever nodes the other clients picked.
    const second = await connect({ servers: cluster.nodes.find((n) => n.name === where.server.name)!.url });
    prompts.once('showInformationMessage', /^Showing connections 1–1 of \d+ on n\d\.$/, undefined);
    let first: ConnectionPage;
    try {
      first = await vscode.commands.executeCommand<ConnectionPage>('natsK3s.cluster.connections', where, {
        sort: 'pending',
        limit: 1,
      });
    } finally {
      await second.close();
    }
    assert.equal(first.rows.length, 1);
    const offered = prompts.take();
    assert.equal(offered.length, 1);
    assert.deepEqual(offered[0]!.choices, ['Next Page']);

    const account = await vscode.commands.executeCommand<AccountReport>(
      'natsK3s.cluster.account',
      await find(a, 'ha', 'Cluster'),
    );
    assert.equal(account.tiers[0]!.streams.used, 1);
    assert.match(activeText(), /^# JetStream account of ha/);
    assert.match(activeText(), /\| all \| 0 B of unlimited/);
  });
});

describe('extension host: the Cluster node on nats-server 2.9.10', function () {
  this.timeout(120_000);
  let cluster: NatsCluster;

  before(async () => {
    cluster = await startNatsCluster({ binary: tools().natsServerOldest });
    await config().update(
      'connections',
      [{ name: 'old', servers: cluster.urls.join(',') }],
      vscode.ConfigurationTarget.Global,
    );
  });
  after(async () => {
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await cluster?.stop();
  });

  it('shows the consumer pause state disabled with the version it needs', async () => {
    const a = await api();
    await until(
      a.connections.onDidChange,
      async () => (await a.connections.list()).some((c) => c.spec.name === 'old'),
      "the 'old' connection",
    );
    await connected(a, 'old');
    const children = await a.explorer.getChildren(await find(a, 'old', 'Cluster'));
    const pause = children.find((n) => labelOf(a, n) === 'Consumer pause state')!;
    assert.ok(pause, children.map((n) => labelOf(a, n)).join(', '));
    const item = a.explorer.getTreeItem(pause);
    assert.equal(item.description, 'needs nats-server 2.11.0');
    assert.equal(
      item.tooltip,
      'Consumer pause state is off: it needs nats-server 2.11.0, and this cluster runs 2.9.10.',
    );
    const health = await vscode.commands.executeCommand<JetStreamHealth>(
      'natsK3s.cluster.jetstreamHealth',
      await find(a, 'old', 'Cluster'),
    );
    assert.deepEqual(
      health.disabled.map((d) => d.feature),
      ['consumerPause', 'apiLevel'],
    );
    assert.match(activeText(), /Consumer pause state needs nats-server 2\.11\.0 \(this cluster runs 2\.9\.10\)/);
  });
});
