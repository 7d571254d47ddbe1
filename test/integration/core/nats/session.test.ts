import * as assert from 'node:assert/strict';
import { nkeys } from '@nats-io/transport-node';
import type {
  ConnectionAuth,
  ConnectionSpec,
  SecretSource,
  TlsSpec,
} from '../../../../src/core/connections/connectionSpec';
import { explainNatsError } from '../../../../src/core/nats/explainError';
import { NatsSession, type SessionState } from '../../../../src/core/nats/session';
import { writeNatsConfig } from '../../../harness/natsConfig';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';
import { freePort } from '../../../harness/processes';
import { startSilentServer } from '../../../harness/silentServer';
import { makeTlsCerts } from '../../../harness/tlsCerts';

const secrets = (values: Record<string, string>): SecretSource => ({ get: async (k) => values[k] });
const spec = (url: string, auth: ConnectionAuth = { kind: 'none' }, tls?: TlsSpec): ConnectionSpec => ({
  name: 't',
  origin: 'settings',
  servers: [url],
  auth,
  tls,
});

/** Opens a session, runs `body`, and always closes it. */
async function withSession(s: NatsSession, body: (s: NatsSession) => Promise<void>): Promise<void> {
  try {
    await s.open();
    await body(s);
  } finally {
    await s.close();
  }
}

function nextState(s: NatsSession, kind: SessionState['kind'], timeoutMs = 20_000): Promise<SessionState> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no '${kind}' state within ${timeoutMs} ms (now ${s.state.kind})`));
    }, timeoutMs);
    const off = s.onStateChange((st) => {
      if (st.kind === kind) {
        clearTimeout(timer);
        off();
        resolve(st);
      }
    });
  });
}

describe('NatsSession against real nats-servers', () => {
  it('connects with user and password, and fails in one sentence on a wrong password without retrying', async () => {
    const conf = writeNatsConfig('authorization { users = [ { user: alice, password: "s3cret" } ] }\n');
    const server = await startNatsServer({ jetstream: false, extraArgs: conf.args });
    try {
      const auth: ConnectionAuth = {
        kind: 'userPassword',
        user: 'alice',
        password: { source: 'secretStore', key: 'pw' },
      };
      await withSession(
        new NatsSession({ spec: spec(server.url, auth), secrets: secrets({ pw: 's3cret' }) }),
        async (s) => {
          assert.equal(s.state.kind, 'connected');
          const reply = await s.connection().rtt();
          assert.ok(reply >= 0);
        },
      );
      await withSession(
        new NatsSession({ spec: spec(server.url, auth), secrets: secrets({ pw: 'wrong' }) }),
        async (s) => {
          const st = s.state;
          assert.equal(st.kind, 'failed');
          assert.match(st.kind === 'failed' ? st.reason : '', /^Authorization failed on 127\.0\.0\.1:\d+/);
          assert.equal(st.kind === 'failed' ? st.retryInMs : 0, undefined, 'an auth failure is not retried by itself');
          assert.throws(() => s.connection(), { name: 'NotConnectedError' });
        },
      );
      await withSession(new NatsSession({ spec: spec(server.url, auth), secrets: secrets({}) }), async (s) => {
        assert.match(
          s.state.kind === 'failed' ? s.state.reason : '',
          /^Missing secret: connection 't' has no password stored under 'pw'/,
        );
      });
    } finally {
      await server.stop();
      conf.remove();
    }
  });

  it('connects with a token and with an nkey', async () => {
    const user = nkeys.createUser();
    const conf = writeNatsConfig(`authorization { token: "tok-123" }\n`);
    const nkConf = writeNatsConfig(`authorization { users = [ { nkey: ${user.getPublicKey()} } ] }\n`);
    const tokenServer = await startNatsServer({ jetstream: false, extraArgs: conf.args });
    const nkeyServer = await startNatsServer({ jetstream: false, extraArgs: nkConf.args });
    try {
      await withSession(
        new NatsSession({
          spec: spec(tokenServer.url, { kind: 'token', token: { source: 'secretStore', key: 'tk' } }),
          secrets: secrets({ tk: 'tok-123' }),
        }),
        async (s) => {
          assert.equal(s.state.kind, 'connected');
        },
      );
      await withSession(
        new NatsSession({ spec: spec(tokenServer.url), secrets: secrets({}), autoRetry: false }),
        async (s) => {
          assert.match(s.state.kind === 'failed' ? s.state.reason : '', /^Authorization failed/);
        },
      );
      const seed = new TextDecoder().decode(user.getSeed());
      await withSession(
        new NatsSession({
          spec: spec(nkeyServer.url, { kind: 'nkey', seed: { source: 'secretStore', key: 'nk' } }),
          secrets: secrets({ nk: seed }),
        }),
        async (s) => {
          assert.equal(s.state.kind, 'connected');
        },
      );
      const other = new TextDecoder().decode(nkeys.createUser().getSeed());
      await withSession(
        new NatsSession({
          spec: spec(nkeyServer.url, { kind: 'nkey', seed: { source: 'secretStore', key: 'nk' } }),
          secrets: secrets({ nk: other }),
        }),
        async (s) => {
          assert.match(s.state.kind === 'failed' ? s.state.reason : '', /^Authorization failed/);
        },
      );
    } finally {
      await tokenServer.stop();
      await nkeyServer.stop();
      conf.remove();
      nkConf.remove();
    }
  });

  it('connects over TLS with a CA and a client certificate, and explains an untrusted certificate', async () => {
    const certs = makeTlsCerts();
    const conf = writeNatsConfig(
      `tls { cert_file: "${certs.serverCert}", key_file: "${certs.serverKey}", ca_file: "${certs.caFile}", verify: true }\n`,
    );
    const server = await startNatsServer({ jetstream: false, extraArgs: conf.args });
    try {
      const good: TlsSpec = { caFile: certs.caFile, certFile: certs.clientCert, keyFile: certs.clientKey };
      await withSession(
        new NatsSession({ spec: spec(`tls://127.0.0.1:${server.port}`, undefined, good), secrets: secrets({}) }),
        async (s) => {
          assert.equal(s.state.kind, 'connected');
          assert.equal(s.connection().info?.tls_required, true);
        },
      );
      await withSession(
        new NatsSession({
          spec: spec(server.url, undefined, { certFile: certs.clientCert, keyFile: certs.clientKey }),
          secrets: secrets({}),
        }),
        async (s) => {
          const reason = s.state.kind === 'failed' ? s.state.reason : '';
          assert.match(reason, /^TLS failed on 127\.0\.0\.1:\d+: the server's certificate is not trusted/);
          assert.equal(s.state.kind === 'failed' ? s.state.retryInMs : 0, undefined);
        },
      );
    } finally {
      await server.stop();
      conf.remove();
      certs.remove();
    }
  });

  it('connects to a server without JetStream and says so when JetStream is used', async () => {
    const server = await startNatsServer({ jetstream: false });
    try {
      await withSession(new NatsSession({ spec: spec(server.url), secrets: secrets({}) }), async (s) => {
        assert.equal(s.state.kind, 'connected');
        const jsm = await s.jetstreamManager();
        const err = await jsm.getAccountInfo().then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.match(
          explainNatsError(err, server.url),
          /^JetStream did not answer on 127\.0\.0\.1:\d+: it is not enabled there/,
        );
      });
    } finally {
      await server.stop();
    }
  });

  it('fails on a refused port with a retry scheduled, and picks the server up when it appears', async () => {
    const port = await freePort();
    const s = new NatsSession({
      spec: spec(`nats://127.0.0.1:${port}`),
      secrets: secrets({}),
      connectTimeoutMs: 2_000,
    });
    let server: NatsServer | undefined;
    try {
      await s.open();
      const st = s.state;
      assert.equal(st.kind, 'failed');
      assert.match(
        st.kind === 'failed' ? st.reason : '',
        /^Connection refused: nothing is listening on 127\.0\.0\.1:\d+\./,
      );
      assert.equal(st.kind === 'failed' ? st.retryInMs : 0, 1_000);
      const connected = nextState(s, 'connected');
      server = await startNatsServer({ jetstream: false, port });
      await connected;
    } finally {
      await s.close();
      await server?.stop();
    }
  });

  it('goes to reconnecting when the server is killed, and back to connected when it restarts on the same port', async () => {
    let server = await startNatsServer({ jetstream: false });
    const port = server.port;
    const s = new NatsSession({ spec: spec(server.url), secrets: secrets({}), reconnectTimeWaitMs: 250 });
    const seen: string[] = [];
    s.onStateChange((st) => seen.push(st.kind));
    try {
      await s.open();
      const received: string[] = [];
      s.connection().subscribe('after.>', { callback: (_e, m) => void received.push(m.subject) });
      const reconnecting = nextState(s, 'reconnecting');
      await server.stop();
      await reconnecting;
      const back = nextState(s, 'connected');
      server = await startNatsServer({ jetstream: false, port });
      await back;
      // The subscription was re-established by the client: a message published now arrives.
      const nc = s.connection();
      nc.publish('after.restart', 'x');
      await nc.flush();
      await waitFor(() => received.length > 0, 5_000);
      assert.deepEqual(received, ['after.restart']);
      assert.deepEqual(seen.slice(0, 3), ['connecting', 'connected', 'reconnecting']);
      assert.equal(seen.at(-1), 'connected');
    } finally {
      await s.close();
      await server.stop();
    }
    assert.equal(s.state.kind, 'closed');
  });

  it('frees the socket of every attempt that times out on a port that never speaks NATS, and close() leaves none', async () => {
    const silent = await startSilentServer();
    const s = new NatsSession({ spec: spec(silent.url), secrets: secrets({}), connectTimeoutMs: 300 });
    try {
      await s.open();
      assert.match(s.state.kind === 'failed' ? s.state.reason : s.state.kind, /^Timed out talking to 127\.0\.0\.1:\d+/);
      assert.equal(s.state.kind === 'failed' ? s.state.retryInMs : 0, 1_000);
      await silent.whenOpen(0, 2_000);
      // The retry a second later times out too, and lets go of its socket as well (nats.js 3.4 kept one per attempt).
      await nextState(s, 'failed', 5_000);
      assert.equal(silent.accepted(), 2);
      await silent.whenOpen(0, 2_000);
      // close() during an attempt resolves only when that attempt's socket is gone.
      await nextState(s, 'connecting', 5_000);
      await silent.whenOpen(1, 2_000);
      await s.close();
      // The client has destroyed its socket by now; the silent side sees the close a moment later.
      await silent.whenOpen(0, 250);
      assert.equal(s.state.kind, 'closed');
    } finally {
      await s.close();
      await silent.stop();
    }
  });

  it('lets the latest open() win and never throws from a listener', async () => {
    const server = await startNatsServer({ jetstream: false });
    const s = new NatsSession({ spec: spec(server.url), secrets: secrets({}) });
    s.onStateChange(() => {
      throw new Error('listener bug');
    });
    try {
      const first = s.open();
      const second = s.open();
      await Promise.all([first, second]);
      assert.equal(s.state.kind, 'connected');
    } finally {
      await s.close();
      await server.stop();
    }
  });
});

async function waitFor(pred: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}
