import * as assert from 'node:assert/strict';
import { clusterServersMarkdown, jetstreamHealthMarkdown } from '../../../../../src/core/nats/cluster/clusterMarkdown';
import type { JetStreamHealth } from '../../../../../src/core/nats/cluster/jetstreamHealth';

const health = (over: Partial<JetStreamHealth>): JetStreamHealth => ({
  source: 'system',
  servers: [],
  assets: [],
  disabled: [],
  notes: [],
  ...over,
});

describe('cluster documents', () => {
  it('keeps a name with table syntax or a line break inside its cell', () => {
    const md = jetstreamHealthMarkdown(
      health({
        assets: [{ account: 'A|B', stream: 'S\nx', replicas: 1, placement: undefined }],
      }),
      'conn',
    );
    const row = md.split('\n').find((l) => l.startsWith('| A\\|'))!;
    assert.equal(row, '| A\\|B | S x | – | R1 | single server | – | – | – |');
  });

  it('says how many assets are in trouble, names the offline replica and how long it has been gone', () => {
    const md = jetstreamHealthMarkdown(
      health({
        assets: [
          {
            account: 'APP',
            stream: 'ORDERS',
            replicas: 3,
            placement: {
              cluster: 'c',
              leader: 'n1',
              degraded: true,
              replicas: [
                { name: 'n1', leader: true, state: 'current', lag: 0, lastSeenMs: 0 },
                { name: 'n2', leader: false, state: 'lagging', lag: 12, lastSeenMs: 100 },
                { name: 'n3', leader: false, state: 'offline', lag: 0, lastSeenMs: 12_500 },
              ],
            },
          },
        ],
      }),
      'conn',
    );
    assert.match(md, /\*\*1 of 1 streams and consumers have a replica lagging or offline, or no leader\.\*\*/);
    assert.match(
      md,
      /\| APP \| ORDERS \| – \| R3 \| \*\*degraded\*\* \| n1 \| n1\\\*, n2 lagging 12 behind, n3 offline seen 12\.5 s ago \|/,
    );
  });

  it('says when a server’s lists are unknown rather than empty', () => {
    const md = clusterServersMarkdown(
      {
        source: 'connection',
        servers: [{ name: 'n1', id: 'X', version: '2.9.10', jetstream: true, connected: true }],
        notes: ['Not the system account.'],
      },
      'conn',
    );
    assert.match(md, /^> Not the system account\.$/m);
    assert.match(md, /\| n1 \(connected\) \| 2\.9\.10 \| – \| – \| – \| unknown \| unknown \| unknown \|/);
  });
});
