import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkClusterPrerequisites, prerequisitesMessage } from '../../../../src/core/kube/clusterPrerequisites';

/** A kubeconfig whose one context points at `server`. */
function kubeconfig(dir: string, server: string): string {
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'current-context: lab',
      `clusters: [{name: lab, cluster: {server: "${server}", insecure-skip-tls-verify: true}}]`,
      'users: [{name: me, user: {token: t}}]',
      'contexts: [{name: lab, context: {cluster: lab, user: me}}]',
      '',
    ].join('\n'),
  );
  return file;
}

/** A loopback port nothing listens on: bound, read, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the cluster prerequisites, all checked before the first question', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nk3s-prereq-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a missing helm and a missing kubeconfig together, helm first', async () => {
    const missing = await checkClusterPrerequisites(
      { helm: true, cluster: true },
      { helmPath: join(dir, 'no-such-helm'), kubeconfig: join(dir, 'missing.yaml') },
    );
    assert.deepEqual(
      missing.map((m) => m.what),
      ['helm', 'kubeconfig'],
    );
    assert.match(missing[0]!.sentence, /no-such-helm was not found at .*: install it or set natsK3s\.helmPath/);
    assert.match(missing[1]!.sentence, /missing\.yaml cannot be read: it does not exist/);
    assert.match(
      prerequisitesMessage('installing the NATS chart', missing),
      /^Before installing the NATS chart, helm and a kubeconfig are needed\. no-such-helm was not found/,
    );
  });

  it('does not run helm when the command does not need it', async () => {
    const missing = await checkClusterPrerequisites(
      { helm: false, cluster: true },
      { helmPath: join(dir, 'no-such-helm'), kubeconfig: join(dir, 'missing.yaml') },
    );
    assert.deepEqual(
      missing.map((m) => m.what),
      ['kubeconfig'],
    );
  });

  it('says when the cluster of a readable kubeconfig does not answer', async () => {
    const port = await closedPort();
    const missing = await checkClusterPrerequisites(
      { helm: false, cluster: true },
      { kubeconfig: kubeconfig(dir, `https://127.0.0.1:${port}`), clusterTimeoutMs: 5000 },
    );
    assert.deepEqual(
      missing.map((m) => m.what),
      ['cluster'],
    );
    assert.match(missing[0]!.sentence, /lab/);
    assert.match(
      prerequisitesMessage('testing a release', missing),
      /^Before testing a release, a cluster that answers is needed\./,
    );
  });

  it('says when the cluster accepts the connection but never answers, within the time it was given', async () => {
    // A listener that never replies: the TLS handshake waits, as behind a firewall that drops packets.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as { port: number };
      const missing = await checkClusterPrerequisites(
        { helm: false, cluster: true },
        { kubeconfig: kubeconfig(dir, `https://127.0.0.1:${port}`), clusterTimeoutMs: 300 },
      );
      assert.deepEqual(
        missing.map((m) => [m.what, m.sentence]),
        [
          [
            'cluster',
            'The cluster of context lab did not answer within 0.3 s: check that it is running and that the kubeconfig points at it.',
          ],
        ],
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
