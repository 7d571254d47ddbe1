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
    assert.deepEqual(withCredentials({ server: 'nats://h' }, env, read), {
      server: 'nats://h',
      user: 'alice',
      password: 'env-pw',
      token: 'env-token',
      creds: '/c.creds',
    });
    // A user on the command line (not a secret) goes with the password from the environment.
    assert.deepEqual(withCredentials({ user: 'bob' }, { NATS_PASSWORD: 'env-pw', NATS_TOKEN: 'env-token' }, read), {
      user: 'bob',
      password: 'env-pw',
    });
    assert.deepEqual(
      withCredentials(
        { token: 'flag-token' },
        { NATS_USER: 'alice', NATS_PASSWORD: 'env-pw', NATS_CREDS: '/c.creds' },
        read,
      ),
      { token: 'flag-token' },
    );
  });

  it('prefers a flag to its file, a file to the environment, and credentials in the --server URL to the environment', () => {
    const env = { NATS_USER: 'alice', NATS_PASSWORD: 'env-pw', NATS_TOKEN: 'env-token' };
    const fromFile = withCredentials(
      { 'password-file': '/run/secrets/pw', 'token-file': '/run/secrets/token' },
      env,
      read,
    );
    assert.equal(fromFile.password, 'from-file');
    assert.equal(fromFile.token, 'tok-from-file');
    assert.equal(
      withCredentials({ password: 'flag-pw', 'password-file': '/run/secrets/pw' }, env, read).password,
      'flag-pw',
    );
    assert.deepEqual(withCredentials({ server: 'nats://u:p@h:4222' }, env, read), { server: 'nats://u:p@h:4222' });
    assert.equal(withCredentials({}, { NATS_PASSWORD: '' }, read).password, undefined);
  });

  it('says in one sentence which file it could not read', () => {
    assert.throws(() => withCredentials({ 'token-file': '/nope' }, {}, read), {
      name: 'UsageError',
      message: 'cannot read --token-file /nope: no such file.',
    });
  });

  it('exits 2 naming an unreadable password file, before it connects anywhere', async () => {
    const io = {
      stdout: '',
      stderr: '',
      out: (t: string) => void (io.stdout += t),
      err: (t: string) => void (io.stderr += t),
      env: {},
    };
    assert.equal(
      await runKineCommand(['ls', '--password-file', '/no/such/file', '--server', 'nats://127.0.0.1:1'], io),
      2,
    );
    assert.match(
      io.stderr,
      /^nats-k3s kine: cannot read --password-file \/no\/such\/file: no such file\. Run 'nats-k3s kine --help'\.\n/,
    );
  });

  it('scrubs the password and token it was given from an error', () => {
    assert.equal(
      scrubCredentials('rejected hunter22 and tok-123456 at nats://u:hunter22@h', {
        password: 'hunter22',
        token: 'tok-123456',
      }),
      'rejected *** and *** at nats://u:***@h',
    );
  });
});
