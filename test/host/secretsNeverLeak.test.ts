/**
 * Extension host: connections with a token and with a user and password, against real nats-servers that require
 * them, taken through a refused secret, a connect, a server restart (reconnecting, then connected) and a command that
 * fails. Afterwards neither secret is in the log file VS Code wrote, in any message shown, in the tree's labels,
 * descriptions and tooltips, or in any file under code-server's folder; a password written into a server URL shows as
 * `***`.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ManagedConnection } from '../../src/vscode/explorer/connectionManager';
import type { ExplorerNode } from '../../src/vscode/explorer/explorerNodes';
import { writeNatsConfig, type NatsConfigFile } from '../harness/natsConfig';
import { startNatsServer, type NatsServer } from '../harness/natsServer';
import { api, find, labelsOf, until } from './explorerHelpers';
import { ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const secret = (prefix: string) => `${prefix}-${randomBytes(8).toString('hex')}`;
const TOKEN = secret('t0ken');
const PASSWORD = secret('pa55');
const WRONG_TOKEN = secret('wrong-t0ken');
const WRONG_PASSWORD = secret('wrong-pa55');
/** Written into a server URL in settings (nats.js ignores a URL's user info, so this one only has to stay hidden). */
const URL_PASSWORD = secret('url-pa55');
const SECRETS = { TOKEN, PASSWORD, WRONG_TOKEN, WRONG_PASSWORD, URL_PASSWORD };

describe('extension host: secrets never reach the log, messages, the tree or files', function () {
  this.timeout(90_000);
  const confs: NatsConfigFile[] = [];
  let byToken: NatsServer;
  let byPassword: NatsServer;
  // Records every message shown; none of these needs an answer.
  const prompts = new ScriptedPrompts();

  before(async () => {
    confs.push(
      writeNatsConfig(`authorization { token: "${TOKEN}" }\n`),
      writeNatsConfig(`authorization { users = [ { user: alice, password: "${PASSWORD}" } ] }\n`),
    );
    byToken = await startNatsServer({ jetstream: false, extraArgs: confs[0]!.args });
    byPassword = await startNatsServer({ jetstream: false, extraArgs: confs[1]!.args });
    prompts.install();
    await config().update(
      'connections',
      [
        { name: 'by-token', servers: byToken.url, auth: { kind: 'token' } },
        { name: 'by-user', servers: byPassword.url, auth: { kind: 'userPassword', user: 'alice' } },
        { name: 'url-userinfo', servers: `nats://alice:${URL_PASSWORD}@127.0.0.1:${byPassword.port}` },
      ],
      vscode.ConfigurationTarget.Global,
    );
  });

  after(async () => {
    prompts.restore();
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
    await byToken?.stop();
    await byPassword?.stop();
    for (const c of confs) c.remove();
  });

  it('connects after a refused secret, reconnects after a restart, and no secret shows anywhere', async () => {
    const a = await api();
    const connection = async (name: string) => {
      let found: ManagedConnection | undefined;
      await until(
        a.connections.onDidChange,
        async () => (found = (await a.connections.list()).find((c) => c.spec.name === name)) !== undefined,
        `connection ${name}`,
      );
      return found!;
    };
    const stateOf = (conn: ManagedConnection) => conn.session?.state.kind;
    const waitFor = (conn: ManagedConnection, kind: string) =>
      until(a.connections.onDidChange, () => stateOf(conn) === kind, `${conn.spec.name} ${kind}`, 30_000);
    const setSecret = async (name: string, value: string) =>
      vscode.commands.executeCommand('natsK3s.connection.setSecret', await find(a, name), { secret: value });

    const tok = await connection('by-token');
    const user = await connection('by-user');
    // A wrong secret: the server refuses it, the session says so and does not retry by itself.
    await setSecret('by-token', WRONG_TOKEN);
    await setSecret('by-user', WRONG_PASSWORD);
    await waitFor(tok, 'failed');
    await waitFor(user, 'failed');
    const reason = (conn: ManagedConnection) =>
      conn.session?.state.kind === 'failed' ? conn.session.state.reason : '';
    assert.match(reason(tok), /^Authorization failed on 127\.0\.0\.1:\d+/);
    assert.match(reason(user), /^Authorization failed on 127\.0\.0\.1:\d+/);
    // The right one: connected, and the tree shows what is behind it.
    await setSecret('by-token', TOKEN);
    await setSecret('by-user', PASSWORD);
    await waitFor(tok, 'connected');
    await waitFor(user, 'connected');
    assert.deepEqual(await labelsOf(a, await find(a, 'by-user')), [
      'Server',
      'Cluster',
      'Subjects',
      'JetStream off',
      'Services',
    ]);
    assert.deepEqual(await labelsOf(a, await find(a, 'by-token')), [
      'Server',
      'Cluster',
      'Subjects',
      'JetStream off',
      'Services',
    ]);
    // The URL's password is not used (nats.js ignores user info), so the server refuses that connection too.
    const inUrl = await connection('url-userinfo');
    await labelsOf(a, await find(a, 'url-userinfo'));
    assert.equal(stateOf(inUrl), 'failed');
    assert.equal(
      a.explorer.getTreeItem(await find(a, 'url-userinfo')).description,
      `nats://alice:***@127.0.0.1:${byPassword.port} · failed`,
    );

    // Both servers restart on their ports: reconnecting, then connected again with the same secrets.
    for (const [server, conn, i] of [
      [byToken, tok, 0],
      [byPassword, user, 1],
    ] as const) {
      await server.stop();
      await waitFor(conn, 'reconnecting');
      const again = await startNatsServer({ port: server.port, jetstream: false, extraArgs: confs[i]!.args });
      if (i === 0) byToken = again;
      else byPassword = again;
      await waitFor(conn, 'connected');
    }
    // A command that fails goes through the error funnel: one message, one log line.
    await vscode.commands.executeCommand('natsK3s.stream.info', {
      kind: 'stream',
      conn: inUrl,
      stream: { name: 'ORDERS' },
    });
    assert.ok(
      prompts.asked.some((p) => p.kind === 'showErrorMessage' && /url-userinfo/.test(p.text)),
      JSON.stringify(prompts.asked),
    );

    const shown = prompts.asked.map((p) => `${p.text} ${p.choices.join(' ')}`);
    const tree = await treeTexts(a);
    const log = await logFileWhen((text) => text.includes('natsK3s.stream.info:'));
    assert.match(log, /by-user: connected to 127\.0\.0\.1:\d+/);
    for (const [what, texts] of [
      ['messages', shown],
      ['tree', tree],
      ['log file', [log]],
    ] as const) {
      for (const [name, value] of Object.entries(SECRETS)) {
        const leak = texts.find((t) => t.includes(value));
        assert.equal(leak, undefined, `${name} is in the ${what}: ${leak}`);
      }
    }
    // Files: the secrets the user gave live in VS Code's secret storage only, which code-server keeps in the browser.
    // (This test's own server configs sit in the host's TMPDIR, which is under code-server's folder.)
    const files = filesUnder(process.env.NATS_K3S_CODE_SERVER_DIR!).filter((f) => !confs.some((c) => c.file === f));
    for (const value of [TOKEN, PASSWORD, WRONG_TOKEN, WRONG_PASSWORD]) {
      const holders = files.filter((f) => readFileSync(f).includes(value));
      assert.deepEqual(holders, [], `a secret is on disk in ${holders.join(', ')}`);
    }
  });
});

/** Label, description and tooltip of every node down to the connections' children. */
async function treeTexts(a: Awaited<ReturnType<typeof api>>): Promise<string[]> {
  const texts: string[] = [];
  const add = (node: ExplorerNode) => {
    const t = a.explorer.getTreeItem(node);
    const tooltip = t.tooltip instanceof vscode.MarkdownString ? t.tooltip.value : (t.tooltip ?? '');
    texts.push([typeof t.label === 'string' ? t.label : t.label?.label, t.description, tooltip].join(' | '));
  };
  for (const root of await a.explorer.getChildren()) {
    add(root);
    if (root.kind === 'connection') for (const child of await a.explorer.getChildren(root)) add(child);
  }
  return texts;
}

/** The extension's log as VS Code wrote it to disk, once `ready` accepts it (the log is written asynchronously). */
async function logFileWhen(ready: (text: string) => boolean): Promise<string> {
  const logs = join(process.env.NATS_K3S_CODE_SERVER_DIR!, 'ud', 'logs');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const file = filesUnder(logs).find((f) => f.endsWith(join('nats-k3s.nats-k3s', 'NATS for K3s.log')));
    const text = file ? readFileSync(file, 'utf8') : '';
    if (ready(text)) return text;
    if (Date.now() > deadline)
      throw new Error(`the extension's log under ${logs} did not get the expected line; it holds:\n${text}`);
    // No event tells when VS Code flushed its log file: poll it.
    await new Promise((r) => setTimeout(r, 100));
  }
}

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    if (stat.isDirectory()) return filesUnder(path);
    return stat.isFile() ? [path] : [];
  });
}
