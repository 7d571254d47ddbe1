// The datastore endpoint check against single nats-servers set up the ways a check must tell apart: TLS with client
// certificates, no TLS, no JetStream, nothing listening.
import * as assert from 'node:assert/strict';
import {
  checkDatastoreEndpoint,
  type DatastoreTlsFiles,
  type EndpointCheckResult,
} from '../../../../src/core/kine/endpointCheck';
import { parseDatastoreEndpoint } from '../../../../src/core/kine/parseDatastoreEndpoint';
import { writeNatsConfig } from '../../../harness/natsConfig';
import { startNatsServer } from '../../../harness/natsServer';
import { freePort } from '../../../harness/processes';
import { makeTlsCerts } from '../../../harness/tlsCerts';

const check = (endpoint: string, tls: DatastoreTlsFiles = {}) =>
  checkDatastoreEndpoint(parseDatastoreEndpoint(endpoint), tls, { timeoutMs: 3_000 });
const level = (r: EndpointCheckResult, code: string) => r.steps.find((s) => s.code === code)?.level;
const errors = (r: EndpointCheckResult) => r.steps.filter((s) => s.level === 'error').map((s) => s.code);

describe('the datastore endpoint check against TLS, plain and JetStream-less servers', function () {
  this.timeout(60_000);

  it('TLS with client certificates: verified with the files, refused without them, each said', async () => {
    const certs = makeTlsCerts();
    const conf = writeNatsConfig(
      `tls { cert_file: "${certs.serverCert}", key_file: "${certs.serverKey}", ca_file: "${certs.caFile}", verify: true }\n`,
    );
    const server = await startNatsServer({ extraArgs: conf.args });
    const endpoint = `nats://127.0.0.1:${server.port}`;
    try {
      const good = await check(endpoint, {
        caFile: certs.caFile,
        certFile: certs.clientCert,
        keyFile: certs.clientKey,
      });
      assert.deepEqual(errors(good), []);
      assert.match(good.steps.find((s) => s.code === 'tls-mode')!.message, /requires TLS and asks every client/);
      assert.equal(level(good, 'tls-verified'), 'ok');
      assert.equal(level(good, 'bucket-missing'), 'info');

      const bare = await check(endpoint);
      assert.equal(level(bare, 'tls-no-ca'), 'warning');
      assert.equal(level(bare, 'tls-client-cert-missing'), 'error');
      assert.match(bare.steps.find((s) => s.code === 'tls-failed')!.message, /not trusted/);

      const caOnly = await check(endpoint, { caFile: certs.caFile });
      assert.equal(level(caOnly, 'tls-client-cert-missing'), 'error');
      assert.equal(level(caOnly, 'tls-verified'), undefined);
      const half = await check(endpoint, { caFile: certs.caFile, certFile: certs.clientCert });
      assert.equal(level(half, 'tls-pair'), 'error');
    } finally {
      await server.stop();
      conf.remove();
      certs.remove();
    }
  });

  it('TLS files for a server without TLS: kine would fail, and the check stops there', async () => {
    const certs = makeTlsCerts();
    const server = await startNatsServer();
    try {
      const r = await check(`nats://127.0.0.1:${server.port}`, { caFile: certs.caFile });
      assert.match(r.steps.find((s) => s.code === 'tls-mode')!.message, /offers no TLS/);
      assert.deepEqual(errors(r), ['tls-not-offered']);
      assert.equal(level(r, 'jetstream'), undefined);
    } finally {
      await server.stop();
      certs.remove();
    }
  });

  it('a server without JetStream, and a port where nothing listens', async () => {
    const server = await startNatsServer({ jetstream: false });
    try {
      const r = await check(`nats://127.0.0.1:${server.port}?bucket=k3s`);
      assert.deepEqual(errors(r), ['no-jetstream']);
      assert.equal(r.bucket, 'k3s');
    } finally {
      await server.stop();
    }
    const port = await freePort();
    const live = await startNatsServer();
    try {
      // One server of the list down is a warning: kine's client goes on to the next.
      const oneDown = await check(`nats://127.0.0.1:${port},nats://127.0.0.1:${live.port}`);
      assert.equal(level(oneDown, 'unreachable'), 'warning');
      assert.deepEqual(errors(oneDown), []);
    } finally {
      await live.stop();
    }
    const none = await check(`nats://127.0.0.1:${port}`);
    assert.deepEqual(errors(none), ['unreachable', 'no-server']);
    assert.match(none.steps[0].message, new RegExp(`nothing listens on 127\\.0\\.0\\.1:${port}`));
  });
});
