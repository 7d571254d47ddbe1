import * as assert from 'node:assert/strict';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { chartValuesText } from './fixtures';

function codes(text: string, chartVersion?: string): string[] {
  return analyzeValues(text, chartVersion ? { chartVersion } : {}).diagnostics.map((d) => `${d.code}:${d.path}`);
}

describe('analyzeValues', () => {
  for (const version of ['2.14.2', '1.3.16']) {
    it(`finds nothing at all in chart ${version}'s own values.yaml`, () => {
      assert.deepEqual(analyzeValues(chartValuesText(version)).diagnostics, []);
    });
  }

  it("finds nothing in chart 0.19.17's own values.yaml when the file says it is for 0.x", () => {
    const text = `# nats-chart-version: 0.19.17\n${chartValuesText('0.19.17')}`;
    const analysis = analyzeValues(text);
    assert.equal(analysis.chartVersion.layout, '0.x');
    assert.deepEqual(analysis.diagnostics, []);
  });

  it('reports every 0.x key of the 0.x values.yaml as legacy-chart-key in a 2.x file, with what it becomes', () => {
    const d = analyzeValues(chartValuesText('0.19.17')).diagnostics;
    const js = d.find((x) => x.path === 'nats.jetstream.enabled');
    assert.ok(js);
    assert.equal(js.code, 'legacy-chart-key');
    assert.match(js.message, /config\.jetstream\.enabled/);
    assert.match(js.message, /JetStream stays off/);
    assert.equal(chartValuesText('0.19.17').slice(js.range.startOffset, js.range.endOffset), 'enabled');
    assert.ok(d.filter((x) => x.code === 'legacy-chart-key').length > 100);
    assert.equal(d[0]?.code, 'legacy-layout');
    assert.ok(
      !d.some((x) => x.code === 'unknown-key'),
      d
        .filter((x) => x.code === 'unknown-key')
        .map((x) => x.path)
        .join(),
    );
  });

  it('puts unknown keys, wrong types and bad enums on the offending key or value, with a rename fix for typos', () => {
    const text =
      'config:\n  jetstream:\n    enabld: true\n  cluster:\n    enabled: "true"\n  websocket:\n    ingress:\n      pathType: Sometimes\n';
    const d = analyzeValues(text).diagnostics;
    const unknown = d.find((x) => x.code === 'unknown-key');
    assert.equal(text.slice(unknown?.range.startOffset, unknown?.range.endOffset), 'enabld');
    assert.deepEqual(
      unknown?.fix?.edits?.map((e) => e.newText),
      ['enabled'],
    );
    const wrong = d.find((x) => x.code === 'wrong-type');
    assert.equal(wrong?.path, 'config.cluster.enabled');
    assert.equal(text.slice(wrong?.range.startOffset, wrong?.range.endOffset), '"true"');
    assert.deepEqual(
      { line: wrong?.range.start.line, character: wrong?.range.start.character },
      { line: 4, character: 13 },
    );
    assert.equal(d.find((x) => x.code === 'bad-enum')?.path, 'config.websocket.ingress.pathType');
  });

  it('accepts free maps, $tplYaml values and YAML 1.1 booleans the way Helm reads them', () => {
    assert.deepEqual(
      codes(
        'config:\n  merge:\n    anything: {goes: [1]}\n  jetstream:\n    enabled: yes\nstatefulSet:\n  name:\n    $tplYaml: "{{ .Release.Name }}"\n',
      ),
      ['chart-check:config.jetstream.enabled'],
    );
  });

  it('suggests config merge for a snake_case NATS option placed in a chart object', () => {
    const d = analyzeValues('config:\n  cluster:\n    connect_retries: 30\n').diagnostics;
    assert.match(d[0]?.message ?? '', /merge/);
  });

  it('treats `nats:` holding 1.x keys as an umbrella chart and checks below it', () => {
    const a = analyzeValues(
      'nats:\n  config:\n    jetstream:\n      enabled: true\n      bogus: 1\nother-chart:\n  anything: 1\n',
    );
    assert.deepEqual(a.valuesRoot, ['nats']);
    assert.deepEqual(
      a.diagnostics.filter((d) => d.code === 'unknown-key').map((d) => d.path),
      ['config.jetstream.bogus'],
    );
  });

  it('takes the chart version from a modeline before the setting', () => {
    assert.equal(
      analyzeValues('# nats-chart-version: 0.19.17\nnats: {}\n', { chartVersion: '2.x' }).chartVersion.layout,
      '0.x',
    );
    assert.equal(analyzeValues('nats: {}\n', { chartVersion: '0.x' }).chartVersion.source, 'setting');
    assert.deepEqual(analyzeValues('config: {}\n').chartVersion, { layout: '2.x', source: 'default' });
  });
});
