/**
 * The format a bucket and a record are labelled with, on the bucket real kine (the stack's, out/tools.json `kine`)
 * wrote for kube-apiserver: the label must name a range of kine versions that holds the kine that wrote it.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { EraDetection } from '../../../../src/core/kine/formatEra';
import { KineBucket } from '../../../../src/core/kine/kineBucket';
import { renderKineDocument } from '../../../../src/core/kine/kineDocument';
import { getObject } from '../../../../src/core/kine/kineObject';
import { sharedStack } from '../../../harness/sharedStack';
import { tools } from '../../../harness/tools';

const run = promisify(execFile);

/** `v0.17.5` → [0, 17, 5], for comparing versions. */
const parts = (v: string) => v.replace(/^v/, '').split('.').map(Number);
function compare(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
const holds = (d: EraDetection, version: string) =>
  compare(d.from, version) <= 0 && (d.to === undefined || compare(version, d.to) <= 0);

describe('the kine format named truthfully on what real kine wrote', function () {
  this.timeout(300_000);
  let nc: NatsConnection;
  let bucket: KineBucket;
  let kineVersion: string;
  let bucketName: string;

  before(async () => {
    const stack = await sharedStack();
    bucketName = stack.bucket;
    nc = await connect({ servers: stack.natsUrls });
    bucket = await KineBucket.open(nc, stack.bucket);
    const { stdout } = await run(tools().kine, ['--version']);
    kineVersion = /kine version (v\d+\.\d+\.\d+)/.exec(stdout)?.[1] ?? '';
    assert.ok(kineVersion, `kine --version printed no version: ${stdout}`);
  });
  after(async () => {
    await nc?.close();
  });

  it('labels the bucket and one record with ranges that hold the kine that wrote them', async () => {
    const detection = await bucket.detect();
    const era = detection.era!;
    // kine v0.14.10+ stores compact_rev_key_apiserver under `meta`, once the API server first compacts (after five
    // minutes); until then nothing in the bucket tells it from v0.14.4.
    let metaKeys = 0;
    await bucket.scan('>', (e) => void (e.kvKey.startsWith('meta.') && metaKeys++));
    assert.equal(era.label, metaKeys ? 'v0.14.10 or newer' : 'v0.14.4 or newer', era.evidence.join('; '));
    assert.ok(holds(era, kineVersion), `bucket label ${era.label} holds kine ${kineVersion}`);

    const view = await getObject(bucket, '/registry/namespaces/default');
    assert.equal(view.state, 'live');
    assert.equal(view.era?.label, 'v0.14.4 or newer', 'one record alone cannot see the meta key');
    assert.ok(holds(view.era!, kineVersion), `record label ${view.era?.label} holds kine ${kineVersion}`);

    const text = renderKineDocument(view, { bucket: bucketName, reveal: false, bucketEra: era });
    assert.match(text, /^recordFormat: kine v0\.14\.4 or newer$/m);
    assert.ok(text.includes(`\nbucketFormat: kine ${era.label}\n`), text);
  });
});
