/**
 * REAL helm v3 and v4 (built from their Go modules) against the real NATS charts, through the product's HelmClient:
 * everything helm does without a cluster (template, show values, lint). Nothing here is a double.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HelmCommandError, localChartVersion } from '../../../../src/core/helm/helmClient';
import { lintSummary } from '../../../../src/core/helm/helmOutput';
import { repoRoot } from '../../../harness/tools';
import {
  CHART_VERSIONS,
  chartDir,
  findObject,
  helmSandbox,
  HELMS,
  parseNatsConf,
  renderedObjects,
  withoutBlankLineBeforeSeparators,
  type HelmSandbox,
} from './chartFixture';

const install = { release: 'k3s', namespace: 'nats' };

// What each chart renders with its defaults, in helm's order (the 1.x/2.x layout added the headless Service and the
// nats-box contexts Secret, and dropped the ServiceAccount by default).
const V2_OBJECTS = [
  'PodDisruptionBudget/k3s-nats',
  'Secret/k3s-nats-box-contexts',
  'ConfigMap/k3s-nats-config',
  'Service/k3s-nats-headless',
  'Service/k3s-nats',
  'Deployment/k3s-nats-box',
  'StatefulSet/k3s-nats',
  'Pod/k3s-nats-test-request-reply',
];
const DEFAULT_OBJECTS: Record<(typeof CHART_VERSIONS)[number], string[]> = {
  '2.14.2': V2_OBJECTS,
  '1.3.16': V2_OBJECTS,
  '0.19.17': [
    'PodDisruptionBudget/k3s-nats',
    'ServiceAccount/k3s-nats',
    'ConfigMap/k3s-nats-config',
    'Service/k3s-nats',
    'Deployment/k3s-nats-box',
    'StatefulSet/k3s-nats',
    'Pod/k3s-nats-test-request-reply',
  ],
};

for (const helm of HELMS) {
  describe(`the real NATS charts with ${helm}`, () => {
    let box: HelmSandbox;
    let noValues: string;
    before(() => {
      box = helmSandbox(helm);
      noValues = box.file('no-values.yaml', '');
    });
    after(() => box.remove());

    for (const version of CHART_VERSIONS) {
      it(`template renders chart ${version} with its default values`, async () => {
        const objects = renderedObjects(
          await box.client.template({ ...install, valuesFile: noValues, chart: chartDir(version) }),
        );
        assert.deepEqual(
          objects.map((o) => `${o.kind}/${o.metadata.name}`),
          DEFAULT_OBJECTS[version],
        );
        assert.equal((findObject(objects, 'StatefulSet', 'k3s-nats')!.spec as { replicas: number }).replicas, 1);
        if (version === '0.19.17') {
          // Only the 0.x chart writes the namespace into its objects (not into its helm test Pod); 1.x/2.x leave it to helm.
          const namespaces = objects
            .filter((o) => o.kind !== 'Pod')
            .map((o) => (o.metadata as { namespace?: string }).namespace);
          assert.deepEqual(new Set(namespaces), new Set(['nats']));
        } else {
          const conf = parseNatsConf(
            (findObject(objects, 'ConfigMap', 'k3s-nats-config')!.data as Record<string, string>)['nats.conf']!,
          );
          assert.deepEqual(
            [conf.port, conf.http_port, conf.server_name, conf.jetstream, conf.cluster],
            [4222, 8222, '$SERVER_NAME', undefined, undefined],
          );
        }
      });

      it(`show values of chart ${version} is test/fixtures/values/chart-values-${version}.yaml, byte for byte`, async () => {
        const fixture = readFileSync(
          join(repoRoot, 'test', 'fixtures', 'values', `chart-values-${version}.yaml`),
          'utf8',
        );
        assert.equal(await box.client.showValues(chartDir(version)), fixture);
      });

      it(`lint passes chart ${version} with its default values`, async () => {
        const result = await box.client.lint(chartDir(version), noValues);
        assert.deepEqual(result, { passed: true, problems: [] });
      });
    }

    it('lint reports an [ERROR] for values the templates choke on (jetstream: true, a bool where a map belongs)', async () => {
      const bad = box.file('bad.yaml', 'config:\n  jetstream: true\n');
      const result = await box.client.lint(chartDir('2.14.2'), bad);
      assert.equal(result.passed, false);
      const errors = result.problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1, JSON.stringify(result.problems));
      assert.equal(errors[0]!.path, 'templates/');
      assert.equal(lintSummary(errors[0]!), "can't evaluate field fileStore in type interface {}");
    });

    it("lint lets the chart's own `fail` through (lint mode); template refuses the same values", async () => {
      // container.env values must be strings or maps; the chart calls `fail` on a number, which helm lint only logs.
      const numberEnv = box.file('number-env.yaml', 'container:\n  env:\n    GOMEMLIMIT: 3\n');
      assert.deepEqual(await box.client.lint(chartDir('2.14.2'), numberEnv), { passed: true, problems: [] });
      const err = await box.client
        .template({ ...install, valuesFile: numberEnv, chart: chartDir('2.14.2') })
        .catch((e: unknown) => e);
      assert.ok(err instanceof HelmCommandError, String(err));
      // Without the product's handling of helm's trailing "Use --debug flag …" line, that hint was the whole sentence.
      assert.equal(
        err.message,
        'helm exited with code 1: execution error at (nats/templates/stateful-set.yaml:3:4): env var GOMEMLIMIT must be string or map, got float64',
      );
    });

    it('lint of a missing values file is an error, not a lint result', async () => {
      await assert.rejects(
        box.client.lint(chartDir('2.14.2'), join(box.dir, 'no-such.yaml')),
        (e: unknown) => e instanceof HelmCommandError && /no-such\.yaml/.test(e.message),
      );
    });

    it('a packaged .tgz lints, renders exactly like its folder, and its version comes from its name', async () => {
      execFileSync(box.helmPath, ['package', chartDir('2.14.2'), '--destination', box.dir], {
        env: { ...process.env, ...box.env },
      });
      const tgz = join(box.dir, 'nats-2.14.2.tgz');
      assert.equal(localChartVersion(tgz), '2.14.2');
      assert.deepEqual(await box.client.lint(tgz, noValues), { passed: true, problems: [] });
      const fromTgz = await box.client.template({ ...install, valuesFile: noValues, chart: tgz });
      assert.equal(fromTgz, await box.client.template({ ...install, valuesFile: noValues, chart: chartDir('2.14.2') }));
    });
  });
}

describe('helm 3 and helm 4 render the same manifests', () => {
  let v3: HelmSandbox;
  let v4: HelmSandbox;
  before(() => {
    v3 = helmSandbox('helm3');
    v4 = helmSandbox('helm4');
  });
  after(() => {
    for (const b of [v3, v4]) b.remove();
  });

  for (const version of CHART_VERSIONS) {
    it(`chart ${version}: the same objects, and the same text but for the blank line helm 4 puts after each manifest`, async () => {
      const render = (box: HelmSandbox) =>
        box.client.template({ ...install, valuesFile: box.file('no-values.yaml', ''), chart: chartDir(version) });
      const [text3, text4] = await Promise.all([render(v3), render(v4)]);
      assert.deepEqual(renderedObjects(text4), renderedObjects(text3));
      assert.notEqual(
        text4,
        text3,
        'helm 4 still adds a blank line after every manifest; if this fails, the difference is gone',
      );
      assert.equal(withoutBlankLineBeforeSeparators(text4), text3);
    });
  }
});
