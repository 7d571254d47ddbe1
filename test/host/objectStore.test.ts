// Object Store in the explorer, driven through the registered commands with every dialog answered as a user would;
// each effect is read back from the server with nats.js, not from the extension.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { jetstream } from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import * as vscode from 'vscode';
import type { ObjectView } from '../../src/core/nats/objectStore/objectEntries';
import { api, EXTENSION_ID, find, labelOf, labelsOf } from './explorerHelpers';
import { ACCEPT, ScriptedPrompts } from './prompts';

const natsUrl = process.env.NATS_K3S_TEST_NATS_URL!;
const config = () => vscode.workspace.getConfiguration('natsK3s');
const WRITES = [
  'natsK3s.objectStore.create',
  'natsK3s.objectStore.delete',
  'natsK3s.objectStore.upload',
  'natsK3s.object.delete',
];

describe('extension host: Object Store', () => {
  let nc: NatsConnection;
  let objm: Objm;
  let os: ObjectStore;
  let prompts: ScriptedPrompts;
  let dir: string;
  const photo = randomBytes(300_000);

  /** The bucket's live object names, read from the server. */
  async function names(store: ObjectStore): Promise<string[]> {
    return (await store.list())
      .filter((o) => !o.deleted)
      .map((o) => o.name)
      .sort();
  }

  async function bucketNames(): Promise<string[]> {
    const out: string[] = [];
    for await (const s of objm.list()) out.push(s.bucket);
    return out;
  }

  before(async () => {
    nc = await connect({ servers: natsUrl });
    objm = new Objm(jetstream(nc));
    os = await objm.create('hostobj', { description: 'host test objects' });
    const h = headers();
    h.set('Content-Type', 'image/png');
    await os.putBlob({ name: 'photo.png', description: 'a photo', headers: h }, photo);
    await os.link('latest', (await os.info('photo.png'))!);
    dir = await mkdtemp(join(tmpdir(), 'nats-k3s-host-obj-'));
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    (await api()).connections.applyReadOnly();
    prompts = new ScriptedPrompts().install();
    prompts.always('showQuickPick', /^NATS connection/, 'default');
  });

  after(async () => {
    prompts?.restore();
    await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const b of ['hostobj', 'hostnew'])
      await objm
        ?.open(b, false)
        .then((s) => s.destroy())
        .catch(() => undefined);
    await nc?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  afterEach(() => prompts.take());

  it('lists buckets with their size and objects with their info, links included', async () => {
    const a = await api();
    assert.ok((await labelsOf(a, await find(a, 'default'))).includes('Object Stores'));
    const bucket = await find(a, 'default', 'Object Stores', 'hostobj');
    assert.match(String(a.explorer.getTreeItem(bucket).description), /^\d+(\.\d+)? KiB/);
    assert.match(String(a.explorer.getTreeItem(bucket).tooltip), /^host test objects\n/);
    assert.deepEqual(await labelsOf(a, bucket), ['latest', 'photo.png']);
    const item = a.explorer.getTreeItem(await find(a, 'default', 'Object Stores', 'hostobj', 'photo.png'));
    assert.equal(item.contextValue, 'object');
    const tooltip = String(item.tooltip);
    assert.match(tooltip, /^photo\.png — a photo\n/);
    assert.match(tooltip, /in 3 chunks\ndigest SHA-256=/);
    assert.match(tooltip, /Content-Type: image\/png/);
    const link = a.explorer.getTreeItem(await find(a, 'default', 'Object Stores', 'hostobj', 'latest'));
    assert.equal(link.description, '→ hostobj/photo.png');
  });

  it('Show Object Info opens the object info as JSON', async () => {
    const a = await api();
    const node = await find(a, 'default', 'Object Stores', 'hostobj', 'photo.png');
    const info = await vscode.commands.executeCommand<ObjectView>('natsK3s.object.showInfo', node);
    const shown = JSON.parse(vscode.window.activeTextEditor!.document.getText()) as ObjectView;
    assert.equal(shown.size, photo.length);
    assert.equal(shown.digest, `SHA-256=${createHash('sha256').update(photo).digest('base64url')}=`);
    assert.deepEqual(shown.headers, [['Content-Type', 'image/png']]);
    assert.equal(info?.chunks, 3);
  });

  it('Show Object Info from the palette asks for the bucket, then the object', async () => {
    prompts.once('showQuickPick', /^Object Store bucket/, 'hostobj');
    prompts.once('showQuickPick', /^Object in 'hostobj'/, 'latest');
    const info = await vscode.commands.executeCommand<ObjectView>('natsK3s.object.showInfo');
    assert.deepEqual(info?.link, { bucket: 'hostobj', name: 'photo.png' });
    const picks = prompts.take().filter((p) => p.kind === 'showQuickPick' && !/^NATS connection/.test(p.text));
    assert.deepEqual(picks[1]?.choices, ['latest', 'photo.png']);
  });

  it('downloads an object, through a link too, to the file picked in the save dialog', async () => {
    const a = await api();
    const target = join(dir, 'down.png');
    prompts.once('showSaveDialog', /^Download 'photo\.png' from 'hostobj'/, target);
    await vscode.commands.executeCommand(
      'natsK3s.object.download',
      await find(a, 'default', 'Object Stores', 'hostobj', 'photo.png'),
    );
    assert.ok((await readFile(target)).equals(photo));
    const viaLink = join(dir, 'latest.png');
    prompts.once('showSaveDialog', /^Download 'latest'/, viaLink);
    await vscode.commands.executeCommand(
      'natsK3s.object.download',
      await find(a, 'default', 'Object Stores', 'hostobj', 'latest'),
    );
    assert.ok((await readFile(viaLink)).equals(photo));
  });

  it('uploads a file from the palette, and asks before replacing an object of that name', async () => {
    const source = join(dir, 'notes.txt');
    await writeFile(source, 'first version');
    prompts.once('showQuickPick', /^Object Store bucket/, 'hostobj');
    prompts.once('showOpenDialog', /^Upload a file to Object Store bucket 'hostobj'/, source);
    prompts.once('showInputBox', /^Object name in 'hostobj'/, ACCEPT);
    await vscode.commands.executeCommand('natsK3s.objectStore.upload');
    assert.equal(new TextDecoder().decode((await os.getBlob('notes.txt'))!), 'first version');

    const a = await api();
    await writeFile(source, 'second version');
    prompts.once('showOpenDialog', /^Upload a file/, source);
    prompts.once('showInputBox', /^Object name/, 'notes.txt');
    prompts.once(
      'showWarningMessage',
      /^Replace object 'notes\.txt' in bucket hostobj on 'default'\?/,
      'Replace Object',
    );
    await vscode.commands.executeCommand(
      'natsK3s.objectStore.upload',
      await find(a, 'default', 'Object Stores', 'hostobj'),
    );
    assert.equal(new TextDecoder().decode((await os.getBlob('notes.txt'))!), 'second version');
    assert.ok((await labelsOf(a, await find(a, 'default', 'Object Stores', 'hostobj'))).includes('notes.txt'));
  });

  it('deletes an object after a modal naming bucket and object; Cancel keeps it', async () => {
    const a = await api();
    const node = await find(a, 'default', 'Object Stores', 'hostobj', 'notes.txt');
    prompts.once('showWarningMessage', /^Delete object 'notes\.txt' from bucket hostobj on 'default'\?/, undefined);
    assert.equal(await vscode.commands.executeCommand('natsK3s.object.delete', node), false);
    assert.ok((await names(os)).includes('notes.txt'));
    prompts.once('showWarningMessage', /^Delete object 'notes\.txt' from bucket hostobj/, 'Delete Object');
    assert.equal(await vscode.commands.executeCommand('natsK3s.object.delete', node), true);
    assert.deepEqual(await names(os), ['latest', 'photo.png']);
    const asked = prompts.take().filter((p) => p.modal);
    assert.equal(asked.length, 2);
  });

  it('creates a bucket from the palette and deletes it after a modal naming it', async () => {
    const a = await api();
    prompts.once('showInputBox', /^New Object Store bucket on 'default'/, 'hostnew');
    await vscode.commands.executeCommand('natsK3s.objectStore.create');
    assert.ok((await bucketNames()).includes('hostnew'));
    const node = await find(a, 'default', 'Object Stores', 'hostnew');
    assert.equal(labelOf(a, node), 'hostnew');
    prompts.once(
      'showWarningMessage',
      /^Delete Object Store bucket hostnew and every object in it on 'default'\?/,
      'Delete Bucket',
    );
    assert.equal(await vscode.commands.executeCommand('natsK3s.objectStore.delete', node), true);
    assert.ok(!(await bucketNames()).includes('hostnew'));
  });

  it('read-only hides every write in menus and refuses it even when the user would confirm everything', async () => {
    const a = await api();
    const menus = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON.contributes.menus as Record<
      string,
      { command: string; when?: string }[]
    >;
    const entries = [...menus['view/item/context']!, ...menus.commandPalette!].filter((m) =>
      WRITES.includes(m.command),
    );
    assert.ok(entries.length >= 8);
    for (const m of entries) assert.match(m.when ?? '', /!config\.natsK3s\.readOnly/);

    const source = join(dir, 'sneaky.txt');
    await writeFile(source, 'sneaky');
    const bucket = await find(a, 'default', 'Object Stores', 'hostobj');
    const object = await find(a, 'default', 'Object Stores', 'hostobj', 'photo.png');
    await config().update('readOnly', true, vscode.ConfigurationTarget.Global);
    a.connections.applyReadOnly();
    const yes = new ScriptedPrompts().install();
    yes.always('showInputBox', /./, 'sneaky').always('showQuickPick', /./, ACCEPT);
    yes.always('showOpenDialog', /./, source).always('showWarningMessage', /./, ACCEPT);
    try {
      await vscode.commands.executeCommand('natsK3s.objectStore.create');
      await vscode.commands.executeCommand('natsK3s.objectStore.upload', bucket);
      await vscode.commands.executeCommand('natsK3s.objectStore.upload');
      await vscode.commands.executeCommand('natsK3s.object.delete', object);
      await vscode.commands.executeCommand('natsK3s.objectStore.delete', bucket);
      const errors = yes.take().filter((p) => p.kind === 'showErrorMessage');
      assert.equal(errors.length, 5);
      for (const e of errors) assert.match(e.text, /read-only/i);
      // Browsing still works in read-only mode.
      assert.deepEqual(await labelsOf(a, bucket), ['latest', 'photo.png']);
    } finally {
      yes.restore();
      await config().update('readOnly', undefined, vscode.ConfigurationTarget.Global);
      a.connections.applyReadOnly();
    }
    assert.deepEqual(await names(os), ['latest', 'photo.png']);
    assert.ok(!(await bucketNames()).includes('sneaky'));
    assert.ok((await bucketNames()).includes('hostobj'));
  });
});
