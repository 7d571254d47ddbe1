import * as assert from 'node:assert/strict';
import { runKineCommand } from '../../../src/cli/kineCommand';
import { scrubCredentials, withCredentials } from '../../../src/cli/credentialOptions';

describe('nats-k3s credentials outside the command line', () => {
  const files: Record<string, string> = { '/run/secrets/pw': 'from-file\n', '/run/secrets/token': 'tok-from-file' };
  const read = (path: string) => {
    if (path in files) return files[path]!;
    throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  };

  it('reads the nats CLI environment variables for what the command line left out', () => {
    const env = { NATS_USER: 'alice', NATS_PASSWORD: 'env-pw', NATS_TOKEN: 'env-token', NATS_CREDS: '/c.creds' };
    const opts = withCredentials(new Map([['--server', 'nats://h']]), env, read);
    assert.deepEqual(Object.fromEntries(opts), { '--server': 'nats://h', '--user': 'alice', '--password': 'env-pw', '--token': 'env-token', '--creds': '/c.creds' });
  });

  it('prefers a flag to its file, and a file to the environment; one trailing newline of a file is dropped', () => {
    const env = { NATS_PASSWORD: 'env-pw', NATS_TOKEN: 'env-token' };
    const fromFile = withCredentials(new Map([['--password-file', '/run/secrets/pw'], ['--token-file', '/run/secrets/token']]), env, read);
    assert.equal(fromFile.get('--password'), 'from-file');
    assert.equal(fromFile.get('--token'), 'tok-from-file');
    const flag = withCredentials(new Map([['--password', 'flag-pw'], ['--password-file', '/run/secrets/pw']]), env, read);
    assert.equal(flag.get('--password'), 'flag-pw');
    assert.equal(withCredentials(new Map(), { NATS_PASSWORD: '' }, read).has('--password'), false);
  });

  it('says in one sentence which file it could not read', () => {
    assert.throws(() => withCredentials(new Map([['--token-file', '/nope']]), {}, read), { message: 'cannot read --token-file /nope: no such file.' });
  });

  it('exits 2 naming an unreadable password file, before it connects anywhere', async () => {
    const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t), env: {} };
    assert.equal(await runKineCommand(['ls', '--password-file', '/no/such/file', '--server', 'nats://127.0.0.1:1'], io), 2);
    assert.equal(io.stderr, 'nats-k3s kine: cannot read --password-file /no/such/file: no such file.\n');
  });

  it('scrubs the password and token it was given from an error', () => {
    const opts = new Map([['--password', 'hunter22'], ['--token', 'tok-123456']]);
    assert.equal(scrubCredentials('rejected hunter22 and tok-123456 at nats://u:hunter22@h', opts), 'rejected *** and *** at nats://u:***@h');
  });
});
