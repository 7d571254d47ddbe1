import * as assert from 'node:assert/strict';
import {
  clusterSizeFromValues,
  clusterSizeSentence,
  smokeTestMarkdown,
  type SmokeTestResult,
} from '../../../../src/core/kube/smokeTest';
import { streamReportMarkdown } from '../../../../src/core/nats/streamReport';

const result = (over: Partial<SmokeTestResult> = {}): SmokeTestResult => ({
  release: 'nats',
  namespace: 'nats',
  pod: 'nats-0',
  subject: 's',
  roundTripMs: 2.5,
  jetstream: true,
  clusterSize: 3,
  streams: [],
  serverVersion: '2.10.0',
  ...over,
});

describe('smoke test report', () => {
  it('reads the cluster size the values ask for, in both layouts', () => {
    assert.equal(clusterSizeFromValues({}), 1);
    assert.equal(clusterSizeFromValues({ config: { cluster: { enabled: true } } }), 3);
    assert.equal(clusterSizeFromValues({ config: { cluster: { enabled: true, replicas: 5 } } }), 5);
    assert.equal(clusterSizeFromValues({ config: { cluster: { enabled: false, replicas: 5 } } }), 1);
    assert.equal(clusterSizeFromValues({ cluster: { enabled: true, replicas: 3 } }), 3);
  });

  it('says whether the cluster has the servers asked for', () => {
    assert.equal(clusterSizeSentence(result()), undefined);
    assert.equal(
      clusterSizeSentence(result({ expectedClusterSize: 3 })),
      'The cluster has the 3 servers the values ask for.',
    );
    assert.match(
      clusterSizeSentence(result({ expectedClusterSize: 3, clusterSize: 2 }))!,
      /^The values ask for 3 servers, but pod nats-0 sees 2/,
    );
  });

  it('renders the stream report as a Markdown table sorted by name, escaping pipes', () => {
    const row = {
      storage: 'File',
      placement: '',
      consumers: 2,
      messages: 1234,
      bytes: 2048,
      lostMessages: 0,
      deleted: 1,
      replicas: 3,
    };
    const md = streamReportMarkdown([
      { ...row, stream: 'ORDERS' },
      { ...row, stream: 'A|B', placement: 'c1 (leader n1)' },
    ]);
    const lines = md.trim().split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[2]!, /^\| A\\\|B \| File \| c1 \(leader n1\) \| 3 \| 2 \| 1,234 \| 2\.0 KiB \| 0 \| 1 \|$/);
    assert.match(lines[3]!, /^\| ORDERS /);
    assert.equal(streamReportMarkdown([]), '_No streams._\n');
    assert.doesNotMatch(smokeTestMarkdown(result({ jetstream: false })), /Streams/);
    assert.match(
      smokeTestMarkdown(result({ expectedClusterSize: 3 })),
      /^# Smoke test of nats in nats\n\nRelease nats .*\n\nThe cluster has the 3 servers the values ask for\.\n\n## Streams/,
    );
  });
});
