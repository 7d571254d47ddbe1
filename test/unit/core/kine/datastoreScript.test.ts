import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildDatastoreEndpoint } from '../../../../src/core/kine/datastoreEndpoint';
import { datastoreScript } from '../../../../src/core/kine/datastoreScript';
import type { DatastoreTarget } from '../../../../src/core/kine/datastoreTarget';

/** Runs the script through the shell: `bash -n` parses it, `sh` runs it and prints what it assigned. */
function shell(program: string, args: string[], script: string): { status: number | null; out: string } {
  const r = spawnSync(program, args, { input: script, encoding: 'utf8', timeout: 10_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const target: DatastoreTarget = {
  serverVersion: '2.14.2',
  jetstream: true,
  cluster: 'nats',
  maxReplicas: 3,
  maxFileStorage: -1,
  bucketExists: false,
};

describe('Prepare K3s Datastore script', () => {
  it('is a valid shell script: notes are comments, the endpoint the one command, K3s started by nothing', () => {
    const built = buildDatastoreEndpoint({
      servers: ['nats://n1:4222', 'nats://n2:4222'],
      bucket: 'kine',
      replicas: 3,
      token: "it's&secret",
    });
    assert.ok(built.warnings.length > 0, 'this endpoint has a warning to print');
    const script = datastoreScript({ connection: 'prod', bucket: 'kine', target, built });
    assert.equal(shell('bash', ['-n'], script).status, 0, shell('bash', ['-n'], script).out);
    const commands = script.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    assert.deepEqual(
      commands.map((l) => l.split('=')[0]),
      ['NATS_DATASTORE_ENDPOINT'],
      'only the assignment runs',
    );
    const run = shell('sh', ['-c', `${script}\nprintf '%s' "$NATS_DATASTORE_ENDPOINT"`], '');
    assert.equal(run.status, 0, run.out);
    assert.equal(run.out, built.endpoint);
    assert.match(script, /^# server: {4}nats-server 2\.14\.2, cluster nats$/m);
    assert.match(script, /^# k3s server '?--datastore-endpoint=/m);
    assert.match(script, /^# curl -sfL https:\/\/get\.k3s\.io/m);
  });

  it('keeps server data with newlines inside comments', () => {
    const built = buildDatastoreEndpoint({ servers: ['nats://n1:4222'], bucket: 'kine' });
    const script = datastoreScript({
      connection: 'evil\ntouch /tmp/pwned',
      bucket: 'kine',
      target: { ...target, serverVersion: '2.14.2\rrm -rf ~' },
      built,
    });
    assert.equal(shell('bash', ['-n'], script).status, 0);
    for (const line of script.split('\n'))
      assert.ok(!/^(touch|rm)/.test(line), `a line of server data became a command: ${line}`);
  });
});
