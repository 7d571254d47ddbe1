import * as assert from 'node:assert/strict';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import type { InstalledRelease } from '../../../../src/core/values/installedRelease';
import { hoverValues } from '../../../../src/core/values/valuesHover';
import { resolveChartContext } from '../../../../src/core/values/valuesContext';

const release: InstalledRelease = { release: 'nats', namespace: 'nats', context: 'lab', chartVersion: '1.3.14' };
const values = 'container:\n  resources:\n    limits: {memory: 1Gi}\n';
const filePath = '/repo/platform/values.yaml';
const chartYaml = (version: string) =>
  `apiVersion: v2\nname: platform\nversion: 0.1.0\ndependencies:\n  - name: nats\n${version}    repository: https://nats-io.github.io/k8s/helm/charts/\n`;
const helmfile =
  'releases:\n  - name: nats\n    chart: nats/nats\n    version: 1.3.15\n    values: [platform/values.yaml]\n';
const argo =
  'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    chart: nats\n    targetRevision: 2.12.4\n    helm:\n      valueFiles: [values.yaml]\n';

const sourceOf = (text: string, options: Parameters<typeof resolveChartContext>[1]) => {
  const { chartVersion } = resolveChartContext(text, options);
  return `${chartVersion.source} ${chartVersion.exact ?? chartVersion.layout}`;
};

describe('the release a values file was installed into, as a source of its chart version', () => {
  it('alone, it decides the version: "added in 1.3.15" on container.resources, and the origin names the release', () => {
    const a = analyzeValues(values, { release });
    assert.deepEqual(a.chartVersion, {
      layout: '2.x',
      exact: '1.3.14',
      source: 'release',
      origin: 'chart 1.3.14 from release nats in namespace nats (context lab)',
    });
    assert.deepEqual(
      a.diagnostics.map((d) => d.message),
      ['Chart 1.3.14 ignores `container.resources` (added in 1.3.15): use `container.merge.resources`.'],
    );
    // Installed at a version that has the key, the same file is clean.
    assert.deepEqual(analyzeValues(values, { release: { ...release, chartVersion: '1.3.15' } }).diagnostics, []);
  });

  it('comes after the modeline and the files that pin the chart, and before the setting and the default', () => {
    assert.equal(sourceOf(`# nats-chart-version: 1.3.16\n${values}`, { release }), 'modeline 1.3.16');
    const pinned = (path: string, text: string) => ({ filePath, pinFiles: [{ path, text }], release });
    assert.equal(
      sourceOf(values, pinned('/repo/platform/Chart.yaml', chartYaml('    version: 1.3.16\n'))),
      'chart-yaml 1.3.16',
    );
    assert.equal(sourceOf(values, pinned('/repo/helmfile.yaml', helmfile)), 'helmfile 1.3.15');
    assert.equal(sourceOf(values, pinned('/repo/platform/app.yaml', argo)), 'argocd 2.12.4');
    assert.equal(sourceOf(values, { release, chartVersion: '2.14.2' }), 'release 1.3.14');
    assert.equal(sourceOf(values, { chartVersion: '2.14.2' }), 'setting 2.14.2');
    assert.equal(sourceOf(values, {}), 'default 2.x');
  });

  it('an umbrella whose Chart.yaml names the subchart without a version keeps its values root and takes the release', () => {
    const text = `bus:\n  ${values.replace(/\n(?=.)/g, '\n  ')}`;
    const a = analyzeValues(text, {
      filePath,
      pinFiles: [{ path: '/repo/platform/Chart.yaml', text: chartYaml('    alias: bus\n') }],
      release,
    });
    assert.equal(a.chartVersion.source, 'release');
    assert.deepEqual(a.valuesRoot, ['bus']);
    assert.deepEqual(
      a.diagnostics.map((d) => d.path),
      ['container.resources'],
    );
  });

  it('a chart version that is not one falls through to the setting; names from the kubeconfig are escaped', () => {
    assert.equal(
      sourceOf(values, { release: { ...release, chartVersion: 'nats' }, chartVersion: '1.3.16' }),
      'setting 1.3.16',
    );
    const { context: _context, ...noContext } = release;
    assert.equal(
      resolveChartContext(values, { release: { ...noContext, namespace: 'a\nb' } }).chartVersion.origin,
      'chart 1.3.14 from release nats in namespace a\\nb (the current context)',
    );
  });

  it('hover says which release the version came from', () => {
    const hover = hoverValues(values, values.indexOf('resources'), { release });
    assert.match(hover?.markdown ?? '', /chart 1\.3\.14 from release nats in namespace nats \(context lab\)/);
  });
});
