import * as assert from 'node:assert/strict';
import { confAt, NatsConfSyntaxError, parseNatsConf, type ConfList } from '../../../../src/core/renderChecks/natsConf';
import { pathSegments } from '../../../../src/core/renderChecks/valuesLocation';
import { confValuesPaths } from '../../../../src/core/renderChecks/renderFindings';

// As chart 2.14.2 renders it (helm template, config.merge.max_payload: 8MB and max_pending: << 64MB >>).
const RENDERED = `{
  "http_port": 8222,
  "jetstream": {
    "max_file_store": 10Gi,
    "max_memory_store": 0,
    "store_dir": "/data"
  },
  "lame_duck_duration": "30s",
  "max_payload": "8MB",
  "max_pending": 64MB,
  "cluster": { "routes": ["nats://a:6222", "nats://b:6222"], "no_advertise": true },
  "server_name": $SERVER_NAME
}
`;

describe("the chart's nats.conf reader", () => {
  it('keeps quoted and bare apart, and reads numbers, booleans, lists and nested blocks', () => {
    const conf = parseNatsConf(RENDERED);
    assert.deepEqual(confAt(conf, ['max_payload']), { kind: 'quoted', text: '8MB' });
    assert.deepEqual(confAt(conf, ['max_pending']), { kind: 'bare', text: '64MB' });
    assert.deepEqual(confAt(conf, ['jetstream', 'max_file_store']), { kind: 'bare', text: '10Gi' });
    assert.deepEqual(confAt(conf, ['jetstream', 'max_memory_store']), { kind: 'number', text: '0' });
    assert.deepEqual(confAt(conf, ['cluster', 'no_advertise']), { kind: 'boolean', text: 'true' });
    assert.equal((confAt(conf, ['cluster', 'routes']) as ConfList).items.length, 2);
    assert.deepEqual(confAt(conf, ['server_name']), { kind: 'bare', text: '$SERVER_NAME' });
  });

  it('reads the include directives a `$include` key renders, and names their files', () => {
    const conf = parseNatsConf('{\n  include auth.conf;\n  include params.conf;\n  "port": 4222\n}\n');
    assert.deepEqual(conf.includes, ['auth.conf', 'params.conf']);
    assert.deepEqual(confAt(conf, ['port']), { kind: 'number', text: '4222' });
  });

  it('refuses what is not the chart shape with one line number, and deep nesting without exhausting the stack', () => {
    assert.throws(
      () => parseNatsConf('port: 4222\n'),
      /^NatsConfSyntaxError: nats.conf line 1: it does not start with \{/,
    );
    assert.throws(() => parseNatsConf('{\n  "a": "open\n'), NatsConfSyntaxError);
    assert.throws(() => parseNatsConf('{\n  "a": 1\n  "b": 2\n}'), /line 3: a ',' or '}' is missing after "a"/);
    const deep = `{"a": ${'['.repeat(100_000)}`;
    assert.throws(() => parseNatsConf(deep), /nested deeper than 64 levels/);
  });

  it('reads a long list without recursion per item (50,000 routes)', () => {
    const text = `{"routes": [${Array.from({ length: 50_000 }, (_, i) => `"nats://n${i}:6222"`).join(',')}]}`;
    assert.equal((confAt(parseNatsConf(text), ['routes']) as ConfList).items.length, 50_000);
  });
});

describe('render findings back to values paths', () => {
  it('a nats.conf key maps to its block merge first, then the root merge', () => {
    assert.deepEqual(confValuesPaths(['max_payload']), ['config.merge.max_payload']);
    assert.deepEqual(confValuesPaths(['jetstream', 'max_file_store']), [
      'config.jetstream.merge.max_file_store',
      'config.merge.jetstream.max_file_store',
    ]);
    assert.deepEqual(confValuesPaths(['leafnodes', 'tls', 'timeout']), [
      'config.leafnodes.tls.merge.timeout',
      'config.leafnodes.merge.tls.timeout',
      'config.merge.leafnodes.tls.timeout',
    ]);
    assert.deepEqual(pathSegments('extraResources[2].spec.replicas'), ['extraResources', 2, 'spec', 'replicas']);
  });
});
