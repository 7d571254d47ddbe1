import * as assert from 'node:assert/strict';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { NEWEST_CHART_VERSION } from '../../../../src/core/values/chartKeyVersions';
import { completeValues } from '../../../../src/core/values/valuesCompletion';
import { hoverValues } from '../../../../src/core/values/valuesHover';

const chartYaml = (dep: string): string =>
  `apiVersion: v2\nname: platform\nversion: 0.1.0\ndependencies:\n  - name: nats\n${dep}    repository: https://nats-io.github.io/k8s/helm/charts/\n`;

function analyzeIn(values: string, chart: string) {
  return analyzeValues(values, {
    filePath: '/repo/platform/values.yaml',
    pinFiles: [{ path: '/repo/platform/Chart.yaml', text: chart }],
  });
}

const byCode = (a: ReturnType<typeof analyzeValues>) => a.diagnostics.map((d) => `${d.severity}:${d.code}:${d.path}`);

describe('values checked against the chart version pinned where it is deployed', () => {
  const umbrella = 'nats:\n  enabled: true\n  container:\n    resources:\n      limits: {memory: 1Gi}\n';

  it('an umbrella whose Chart.yaml pins nats 1.3.14 gets "added in 1.3.15" on nats.container.resources', () => {
    const a = analyzeIn(umbrella, chartYaml('    version: 1.3.14\n    condition: nats.enabled\n'));
    assert.deepEqual(a.chartVersion, {
      layout: '2.x',
      exact: '1.3.14',
      source: 'chart-yaml',
      origin: 'chart 1.3.14 from Chart.yaml',
    });
    assert.deepEqual(byCode(a), ['warning:chart-check:container.resources']);
    assert.equal(
      a.diagnostics[0]?.message,
      'Chart 1.3.14 ignores `container.resources` (added in 1.3.15): use `container.merge.resources`.',
    );
    assert.equal(a.diagnostics[0]?.range.start.line, 3);
  });

  it('the same file pinned at 1.3.15 is clean, and the condition key is the umbrella’s own', () => {
    assert.deepEqual(byCode(analyzeIn(umbrella, chartYaml('    version: 1.3.15\n    condition: nats.enabled\n'))), []);
    // Without the condition naming it, `enabled` is a key the nats chart does not have.
    assert.deepEqual(byCode(analyzeIn(umbrella, chartYaml('    version: 1.3.15\n'))), ['error:unknown-key:enabled']);
    // With no Chart.yaml at hand, `nats.enabled` is taken for the usual condition switch.
    assert.deepEqual(byCode(analyzeValues(umbrella, { chartVersion: '1.3.15' })), []);
  });

  it('an aliased subchart is checked under its alias; the other top-level keys are the umbrella’s', () => {
    const values =
      'installNats: true\ntags:\n  messaging: true\nbus:\n  config:\n    jetstream:\n      enabled: yes-please\n  natsbox:\n    enabled: true\n';
    const a = analyzeIn(values, chartYaml('    alias: bus\n    version: 2.14.2\n    condition: installNats\n'));
    assert.deepEqual(a.valuesRoot, ['bus']);
    assert.deepEqual(byCode(a), [
      'error:wrong-type:config.jetstream.enabled',
      'error:legacy-chart-key:natsbox.enabled',
    ]);
  });

  it('every key the data knows, in both directions: added later, removed earlier, present in the pinned one', () => {
    const withModeline = (v: string, body: string) => analyzeValues(`# nats-chart-version: ${v}\n${body}`);
    const noAdvertise = withModeline('2.12.3', 'config:\n  cluster:\n    noAdvertise: true\n');
    assert.match(
      noAdvertise.diagnostics[0]?.message ?? '',
      /Chart 2\.12\.3 ignores `config\.cluster\.noAdvertise` \(added in 2\.12\.4\)/,
    );
    assert.deepEqual(byCode(withModeline('1.3.2', 'promExporter:\n  monitorDomain: x\n')), [
      'warning:chart-check:promExporter.monitorDomain',
    ]);
    // `config.nats.tls.ca` was in the values until 1.0.0-rc.0: the newest chart's schema calls it unknown…
    const removed = withModeline('1.3.16', 'config:\n  nats:\n    tls:\n      ca: ca.crt\n');
    assert.deepEqual(byCode(removed), ['error:unknown-key:config.nats.tls.ca']);
    assert.equal(removed.diagnostics[0]?.message, 'Chart 1.3.16 ignores `config.nats.tls.ca` (removed in 1.0.0-rc.1).');
    // …but the chart that still had it takes it.
    assert.deepEqual(byCode(withModeline('1.0.0-rc.0', 'config:\n  nats:\n    tls:\n      ca: ca.crt\n')), []);
    // Chart 0.x versions against each other.
    assert.deepEqual(byCode(withModeline('0.17.0', 'nats:\n  extraEnv: []\n')), ['warning:chart-check:nats.extraEnv']);
  });

  it('with no pin the newest chart applies, and a pin wins over the setting but not over the modeline', () => {
    assert.equal(NEWEST_CHART_VERSION, '2.14.2');
    const pinned = chartYaml('    version: 1.3.14\n');
    const values = 'nats:\n  container:\n    resources: {}\n';
    const opts = {
      chartVersion: '2.14.2',
      filePath: '/p/values.yaml',
      pinFiles: [{ path: '/p/Chart.yaml', text: pinned }],
    };
    assert.equal(analyzeValues(values, opts).chartVersion.exact, '1.3.14');
    assert.equal(analyzeValues(`# nats-chart-version: 2.12.4\n${values}`, opts).chartVersion.source, 'modeline');
    assert.equal(analyzeValues(values, { chartVersion: '1.3.14' }).chartVersion.source, 'setting');
  });

  it('a modeline naming a per-line schema sets the layout', () => {
    const layout = (file: string) =>
      analyzeValues(`# yaml-language-server: $schema=../schemas/${file}\nconfig: {}\n`).chartVersion;
    assert.deepEqual(layout('nats-values-1.x.schema.json'), { layout: '2.x', source: 'modeline' });
    assert.deepEqual(layout('nats-values-2.x.schema.json'), { layout: '2.x', source: 'modeline' });
    assert.deepEqual(layout('nats-values-0.x.schema.json'), { layout: '0.x', source: 'modeline' });
  });

  it('hover says which chart version applies and where it came from', () => {
    const values = 'nats:\n  container:\n    resources: {}\n';
    const opts = {
      filePath: '/p/values.yaml',
      pinFiles: [{ path: '/p/Chart.yaml', text: chartYaml('    version: 1.3.14\n') }],
    };
    const hover = hoverValues(values, values.indexOf('resources') + 2, opts);
    assert.match(
      hover?.markdown ?? '',
      /Checked against chart 1\.3\.14 from Chart\.yaml\.\* Not in this version: added in 1\.3\.15\./,
    );
    assert.match(hoverValues('config: {}\n', 2)?.markdown ?? '', /the newest chart, 2\.14\.2 \(no version pinned\)/);
  });

  it('completion offers the keys of the pinned version, under the alias', () => {
    const chart = chartYaml('    alias: bus\n    version: 1.3.14\n');
    const opts = { filePath: '/p/values.yaml', pinFiles: [{ path: '/p/Chart.yaml', text: chart }] };
    const text = 'bus:\n  container:\n    ';
    const labels = completeValues(text, text.length, opts).items.map((i) => i.label);
    assert.ok(labels.includes('image') && labels.includes('merge'), labels.join());
    assert.ok(!labels.includes('resources'), 'resources is 1.3.15+');
    const newest = completeValues(text, text.length, { chartVersion: '2.14.2' }).items.map((i) => i.label);
    assert.equal(newest.length, 0, 'without the Chart.yaml, `bus` is no chart key');
  });
});
