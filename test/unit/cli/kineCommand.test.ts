import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { runKineCommand, type KineCliIo } from '../../../src/cli/kineCommand';
import { encodeEnvelope } from '../../../src/core/kine/envelope';
import { encodeS2StreamUncompressed } from '../../../src/core/kine/s2';
import { freePort } from '../../harness/processes';
import { vectors } from '../core/kine/vectors';

function capture(stdin?: Uint8Array): KineCliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    readStdin: stdin ? async () => stdin : undefined,
  };
  return io;
}

const pod = vectors.find((v) => v.name === 'pod-create')!;

describe('nats-k3s kine', () => {
  it('prints help with exit 0, and usage with exit 2 when called bare', async () => {
    const help = capture();
    assert.equal(await runKineCommand(['--help'], help), 0);
    assert.match(help.stdout, /^Usage: nats-k3s kine <command>/);
    const bare = capture();
    assert.equal(await runKineCommand([], bare), 2);
  });

  it('export --help says what the recovery rule keeps and leaves out', async () => {
    const io = capture();
    assert.equal(await runKineCommand(['export', '--help'], io), 0);
    assert.match(io.stdout, /^Usage: nats-k3s kine export \[PREFIX\]/);
    for (const word of ['resourceVersion', 'ownerReferences', '--include-generated', '--reveal', 'encrypted at rest'])
      assert.ok(io.stdout.includes(word), word);
  });

  it('rejects unknown commands, options and bad values with exit 2 and one sentence', async () => {
    for (const args of [
      ['frob'],
      ['ls', '--nope'],
      ['get'],
      ['ls', '--format', 'xml'],
      ['get', 'k', '--revision', 'x'],
      ['decode', '--hex', 'abc'],
      ['ls', '--server'],
      ['ls', '--server', ''],
      ['ls', '--server', 'nats://'],
      ['ls', '--timeout', 'soon'],
      ['export', 'registry/pods'],
      ['export', '/registry/pods/', '/registry/secrets/'],
      ['export', '--format', 'text'],
      ['export', '--namespace', 'Not_A_Namespace'],
      ['export', '--max-objects', '0'],
      ['export', '--max-bytes', 'lots'],
      ['export', '--output'],
    ]) {
      const io = capture();
      assert.equal(await runKineCommand(args, io), 2, args.join(' '));
      assert.match(
        io.stderr,
        /^nats-k3s kine: .+ Run 'nats-k3s kine --help'\.\nUsage: nats-k3s kine <command> \[options\]\n$/,
      );
      assert.equal(io.stdout, '');
    }
  });

  it('decode --json prints the record in the issue shape with the inner value sha256', async () => {
    const io = capture();
    assert.equal(await runKineCommand(['decode', '--hex', pod.s2StreamHex, '--json'], io), 0);
    const rec = JSON.parse(io.stdout);
    assert.deepEqual(Object.keys(rec).slice(0, 6), [
      'key',
      'create',
      'delete',
      'prevRevision',
      'createRevision',
      'modRevision',
    ]);
    assert.equal(rec.key, '/registry/pods/default/nginx');
    assert.equal(rec.create, true);
    assert.equal(rec.lease, 0);
    assert.equal(rec.value.encoding, 'protobuf');
    assert.equal(rec.value.size, 85);
    assert.equal(rec.value.sha256, createHash('sha256').update(Buffer.from(pod.innerValueHex!, 'hex')).digest('hex'));
    assert.equal(rec.value.metadata.name, 'nginx');
  });

  it('decode reads stdin, prints text, and exits 1 with the reason on bad bytes', async () => {
    const ok = capture(new Uint8Array(Buffer.from(vectors[0].s2StreamHex, 'hex')));
    assert.equal(await runKineCommand(['decode'], ok), 0);
    assert.match(ok.stdout, /^key: +\/registry\/health$/m);
    assert.match(ok.stdout, /^value: +json, 17 bytes/m);
    const bad = capture(Uint8Array.of(1, 2, 3));
    assert.equal(await runKineCommand(['decode'], bad), 1);
    assert.equal(
      bad.stderr,
      'nats-k3s kine: cannot decode the input (bad-stream-identifier): the body does not start with an S2 or Snappy stream identifier.\n',
    );
    const crc = capture();
    const broken = pod.s2StreamHex.slice(0, 30) + (pod.s2StreamHex[30] === '0' ? '1' : '0') + pod.s2StreamHex.slice(31);
    assert.equal(await runKineCommand(['decode', '--hex', broken], crc), 1);
    assert.match(crc.stderr, /\(crc-mismatch\)/);
  });

  it('hides secret values unless --reveal', async () => {
    const json = encodeEnvelope({
      key: '/registry/secrets/default/db',
      value: new TextEncoder().encode('{"kind":"Secret","metadata":{"name":"db"},"data":{"password":"aHVudGVyMg=="}}'),
      create: true,
    });
    const hex = Buffer.from(encodeS2StreamUncompressed(new TextEncoder().encode(json))).toString('hex');
    const hidden = capture();
    assert.equal(await runKineCommand(['decode', '--hex', hex, '--format', 'json'], hidden), 0);
    assert.equal(JSON.parse(hidden.stdout).value.hidden, true);
    assert.doesNotMatch(hidden.stdout, /aHVudGVyMg/);
    const shown = capture();
    assert.equal(await runKineCommand(['decode', '--hex', hex, '--json', '--reveal'], shown), 0);
    assert.match(shown.stdout, /aHVudGVyMg/);
  });

  it('endpoint builds the value offline and exits 1 when kine would refuse an option', async () => {
    const io = capture();
    assert.equal(await runKineCommand(['endpoint', '--server', 'nats://10.0.0.5:4222', '--replicas', '3'], io), 0);
    assert.match(io.stdout, /^--datastore-endpoint=nats:\/\/10\.0\.0\.5:4222\?replicas=3$/m);
    assert.match(io.stdout, /^k3s command: +k3s server /m);
    const bad = capture();
    assert.equal(await runKineCommand(['endpoint', '--replicas', '9', '--json'], bad), 1);
    assert.ok(JSON.parse(bad.stdout).warnings.some((w: { code: string }) => w.code === 'replicas'));
  });

  it('says in one sentence that nothing listens on the server', async () => {
    const port = await freePort();
    const io = capture();
    assert.equal(await runKineCommand(['ls', '--server', `nats://127.0.0.1:${port}`], io), 1);
    assert.equal(
      io.stderr,
      `nats-k3s kine: Connection refused: nothing is listening on 127.0.0.1:${port}. Start the server or check the URL.\n`,
    );
  });
  it('endpoint --check ENDPOINT: a string kine refuses is one sentence and exit 2; an unreachable server is a finding, exit 3', async () => {
    const tls = capture();
    assert.equal(await runKineCommand(['endpoint', '--check', 'tls://10.0.0.5:4222'], tls), 2);
    assert.match(tls.stderr, /^nats-k3s kine: URL 1 starts with tls:\/\/ and kine refuses it/);
    const stray = capture();
    assert.equal(await runKineCommand(['endpoint', 'nats://a:4222'], stray), 2);
    assert.match(stray.stderr, /An ENDPOINT argument goes with --check\./);
    const port = await freePort();
    const io = capture();
    const secret = 'hunter2';
    assert.equal(await runKineCommand(['endpoint', '--check', `nats://u:${secret}@127.0.0.1:${port}`], io), 3);
    assert.match(
      io.stdout,
      new RegExp(`^ERROR +nats://127\\.0\\.0\\.1:${port} is not reachable: nothing listens`, 'm'),
    );
    assert.ok(!io.stdout.includes(secret), 'the password is never printed');
  });
});
