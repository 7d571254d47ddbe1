import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliContextDir, readCliContexts } from '../../../../src/core/connections/cliContexts';
import { toConnectOptions, MissingSecretError } from '../../../../src/core/connections/connectOptions';
import type { SecretSource } from '../../../../src/core/connections/connectionSpec';

const noSecrets: SecretSource = { get: async () => undefined };

describe('nats CLI contexts', () => {
  let root: string;
  let dir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nats-k3s-ctx-'));
    dir = join(root, 'nats', 'context');
    mkdirSync(dir, { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the directory from XDG_CONFIG_HOME, else ~/.config', () => {
    assert.equal(cliContextDir({ XDG_CONFIG_HOME: '/x' }, '/home/u'), '/x/nats/context');
    assert.equal(cliContextDir({}, '/home/u'), '/home/u/.config/nats/context');
  });

  it('reads every field, marks the selected context and resolves secrets from the files', async () => {
    writeFileSync(
      join(dir, 'local.json'),
      JSON.stringify({ description: 'Localhost', url: 'nats://127.0.0.1:4222', user: 'u', password: 'p' }),
    );
    writeFileSync(
      join(dir, 'tok.json'),
      JSON.stringify({ url: 'nats://a:1,nats://b:2', token: 's3cret', inbox_prefix: '_X', jetstream_domain: 'leaf' }),
    );
    writeFileSync(
      join(dir, 'tls.json'),
      JSON.stringify({
        url: 'tls://h:4222',
        ca: '/ca.pem',
        cert: '/c.pem',
        key: '/k.pem',
        jetstream_api_prefix: '$JS.hub.API',
      }),
    );
    writeFileSync(join(root, 'seed.nk'), 'SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4\n');
    writeFileSync(join(dir, 'nk.json'), JSON.stringify({ url: 'nats://h', nkey: join(root, 'seed.nk') }));
    writeFileSync(join(dir, 'creds.json'), JSON.stringify({ creds: '/no/such.creds' }));
    writeFileSync(join(dir, 'broken.json'), '{nope');
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    writeFileSync(join(root, 'nats', 'context.txt'), 'tok\n');

    const { specs, problems } = await readCliContexts(dir);
    assert.deepEqual(
      specs.map((s) => s.name),
      ['creds', 'local', 'nk', 'tls', 'tok'],
    );
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^nats CLI context 'broken' .* could not be read: /);
    const by = Object.fromEntries(specs.map((s) => [s.name, s]));
    assert.deepEqual(
      specs.filter((s) => s.selected).map((s) => s.name),
      ['tok'],
    );
    assert.equal(by.local!.description, 'Localhost');
    assert.deepEqual(by.tok!.servers, ['nats://a:1', 'nats://b:2']);
    assert.equal(by.tok!.inboxPrefix, '_X');
    assert.deepEqual(by.tok!.jetstream, { domain: 'leaf', apiPrefix: undefined });
    assert.deepEqual(by.tls!.tls, {
      caFile: '/ca.pem',
      certFile: '/c.pem',
      keyFile: '/k.pem',
      handshakeFirst: undefined,
    });
    assert.deepEqual(by.tls!.jetstream, { domain: undefined, apiPrefix: '$JS.hub.API' });
    assert.equal(by.creds!.servers[0], 'nats://127.0.0.1:4222');
    assert.ok(!JSON.stringify(specs).includes('s3cret'), 'no secret value in a spec');

    const local = await toConnectOptions(by.local!, noSecrets);
    assert.equal(local.user, 'u');
    assert.equal(local.pass, 'p');
    const tok = await toConnectOptions(by.tok!, noSecrets);
    assert.equal(tok.token, 's3cret');
    assert.equal(tok.inboxPrefix, '_X');
    const tls = await toConnectOptions(by.tls!, noSecrets);
    assert.deepEqual(tls.tls, { caFile: '/ca.pem', certFile: '/c.pem', keyFile: '/k.pem' });
    const nk = await toConnectOptions(by.nk!, noSecrets);
    assert.equal(typeof nk.authenticator, 'function');
    await assert.rejects(
      toConnectOptions(by.creds!, noSecrets),
      (e: unknown) => e instanceof MissingSecretError && /readable credentials/.test((e as Error).message),
    );
  });

  it('has no contexts and no problems when the directory is missing', async () => {
    assert.deepEqual((await readCliContexts(join(root, 'none'))).specs, []);
  });
});
