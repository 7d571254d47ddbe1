import * as assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { parse } from 'yaml';
import { KineBucket } from '../../../../src/core/kine/kineBucket';
import { renderKineDocument, renderKineRevision } from '../../../../src/core/kine/kineDocument';
import { getHistory, getObject } from '../../../../src/core/kine/kineObject';
import { KineFixtureWriter } from '../../../generators/kine/fixtureWriter';
import { writeReferenceScenario } from '../../../generators/kine/fixtureScenario';
import { startNatsServer, type NatsServer } from '../../../harness/natsServer';

describe('kine object documents', function () {
  this.timeout(60_000);
  let server: NatsServer;
  let nc: NatsConnection;
  let bucket: KineBucket;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    await writeReferenceScenario(await KineFixtureWriter.create(nc, { bucket: 'kine' }));
    bucket = await KineBucket.open(nc, 'kine');
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('shows key, revisions, format and the decoded Pod as YAML', async () => {
    const view = await getObject(bucket, '/registry/pods/default/nginx');
    const text = renderKineDocument(view, { bucket: 'kine', reveal: false, bucketEra: (await bucket.detect()).era });
    assert.match(
      text,
      /^# \/registry\/pods\/default\/nginx\n# kine bucket 'kine', revision \d+; 2 revisions of this key stored; read-only\.\n/,
    );
    const doc = parse(text) as {
      key: string;
      state: string;
      modRevision: number;
      storedRevisions: number;
      bucketFormat: string;
      object: {
        apiVersion: string;
        kind: string;
        metadata: { name: string; namespace: string; labels: Record<string, string> };
      };
    };
    assert.equal(doc.key, '/registry/pods/default/nginx');
    assert.equal(doc.state, 'live');
    assert.equal(doc.modRevision, view.revision);
    assert.equal(doc.storedRevisions, 2);
    assert.match(doc.bucketFormat, /^kine v0\./);
    assert.equal(doc.object.kind, 'Pod');
    assert.equal(doc.object.apiVersion, 'v1');
    assert.equal(doc.object.metadata.name, 'nginx');
    assert.equal(doc.object.metadata.labels.rev, '2');
  });

  it('hides Secret and bootstrap values until revealed; an encrypted Secret says so instead of offering a reveal', async () => {
    const secret = renderKineDocument(await getObject(bucket, '/registry/secrets/kube-system/k3s-serving'), {
      bucket: 'kine',
      reveal: false,
    });
    assert.match(secret, /^# Encrypted at rest by kube-apiserver \(provider aescbc, key 'aescbckey'\)/m);
    assert.doesNotMatch(secret, /is hidden|Reveal Value/);
    assert.doesNotMatch(secret, /secretbytes/);
    const view = await getObject(bucket, '/bootstrap/2f9c3a1b0d4e');
    const hidden = renderKineDocument(view, { bucket: 'kine', reveal: false });
    assert.match(hidden, /The value of this key is hidden/);
    assert.doesNotMatch(hidden, /3q2\+7w==/);
    const shown = renderKineDocument(view, { bucket: 'kine', reveal: true });
    assert.doesNotMatch(shown, /is hidden/);
    assert.match(shown, /3q2\+7w==/);
  });

  it('renders each stored revision for the history diff', async () => {
    const history = await getHistory(bucket, '/registry/pods/default/nginx');
    assert.equal(history.length, 2);
    const [first, second] = history.map(
      (r) =>
        parse(renderKineRevision(r, false)) as {
          modRevision: number;
          object: { metadata: { labels?: Record<string, string> } };
        },
    );
    assert.ok(first!.modRevision < second!.modRevision);
    assert.equal(second!.object.metadata.labels?.rev, '2');
  });
});
