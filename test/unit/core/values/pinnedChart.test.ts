import * as assert from 'node:assert/strict';
import { findPinnedChart, relativePath } from '../../../../src/core/values/pinnedChart';

const UMBRELLA = `apiVersion: v2
name: platform
version: 0.1.0
dependencies:
  - name: postgresql
    version: 15.x
    repository: oci://registry-1.docker.io/bitnamicharts
  - name: nats
    version: 1.3.14
    repository: https://nats-io.github.io/k8s/helm/charts/
    condition: nats.enabled, installNats
    tags: [messaging]
`;

describe('the chart version pinned around a values file', () => {
  it("reads an umbrella's Chart.yaml beside the file: version, key, and its condition switch under that key", () => {
    const pin = findPinnedChart('/repo/platform/values.yaml', [{ path: '/repo/platform/Chart.yaml', text: UMBRELLA }]);
    assert.deepEqual(pin, {
      source: 'chart-yaml',
      origin: 'Chart.yaml',
      written: '1.3.14',
      version: '1.3.14',
      valuesRoot: ['nats'],
      umbrellaKeys: ['enabled'],
    });
  });

  it('uses the alias as the key, and Chart.lock for a range', () => {
    const chart =
      'dependencies:\n  - name: nats\n    alias: bus\n    version: ~1.3.0\n    repository: https://nats-io.github.io/k8s/helm/charts/\n';
    const lock =
      'dependencies:\n- name: nats\n  repository: https://nats-io.github.io/k8s/helm/charts/\n  version: 1.3.14\n';
    const files = [{ path: '/r/c/Chart.yaml', text: chart }];
    assert.equal(findPinnedChart('/r/c/values-prod.yaml', files)?.version, '1.3.16');
    assert.deepEqual(findPinnedChart('/r/c/values-prod.yaml', [...files, { path: '/r/c/Chart.lock', text: lock }]), {
      source: 'chart-lock',
      origin: 'Chart.lock',
      written: '1.3.14',
      version: '1.3.14',
      valuesRoot: ['bus'],
    });
  });

  it('ignores a Chart.yaml in another folder and one without a nats dependency', () => {
    assert.equal(findPinnedChart('/r/a/values.yaml', [{ path: '/r/Chart.yaml', text: UMBRELLA }]), undefined);
    assert.equal(
      findPinnedChart('/r/values.yaml', [{ path: '/r/Chart.yaml', text: 'dependencies:\n  - name: redis\n' }]),
      undefined,
    );
  });

  it('finds a helmfile release that names the file, relative to the helmfile, and notes a Bitnami repository', () => {
    const helmfile = `repositories:
  - name: nats
    url: https://nats-io.github.io/k8s/helm/charts/
  - name: bitnami
    url: https://charts.bitnami.com/bitnami
releases:
  - name: other
    chart: nats/nats
    version: 2.12.4
    values: [./values/other.yaml]
  - name: bus
    chart: nats/nats
    version: 1.3.14
    values:
      - ./values/nats.yaml
      - config: {jetstream: {enabled: true}}
  - name: legacy
    chart: bitnami/nats
    version: 7.8.3
    values: [values/bitnami.yaml]
`;
    const files = [{ path: '/repo/deploy/helmfile.yaml', text: helmfile }];
    assert.deepEqual(findPinnedChart('/repo/deploy/values/nats.yaml', files), {
      source: 'helmfile',
      origin: '../helmfile.yaml',
      written: '1.3.14',
      version: '1.3.14',
    });
    assert.equal(findPinnedChart('/repo/deploy/values/bitnami.yaml', files)?.bitnami, true);
    assert.equal(findPinnedChart('/repo/deploy/values/unnamed.yaml', files), undefined);
  });

  it('finds an Argo CD Application (one source or several, `$values/` refs) naming the file', () => {
    const app = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: nats}
spec:
  sources:
    - repoURL: https://nats-io.github.io/k8s/helm/charts/
      chart: nats
      targetRevision: 1.2.x
      helm:
        valueFiles:
          - $values/envs/prod/nats-values.yaml
    - repoURL: https://github.com/example/deploy.git
      targetRevision: main
      ref: values
`;
    const files = [{ path: '/w/argocd/nats-app.yaml', text: `---\nkind: ConfigMap\n---\n${app}` }];
    const pin = findPinnedChart('/w/envs/prod/nats-values.yaml', files);
    assert.deepEqual(pin, {
      source: 'argocd',
      origin: '../../argocd/nats-app.yaml',
      written: '1.2.x',
      version: '1.2.11',
    });
    assert.equal(findPinnedChart('/w/envs/dev/nats-values.yaml', files), undefined);
  });

  it('prefers the umbrella Chart.yaml over a helmfile, and a helmfile over Argo CD', () => {
    const helmfile = 'releases:\n  - name: n\n    chart: nats/nats\n    version: 2.12.4\n    values: [values.yaml]\n';
    const files = [
      { path: '/r/helmfile.yaml', text: helmfile },
      { path: '/r/Chart.yaml', text: UMBRELLA },
    ];
    assert.equal(findPinnedChart('/r/values.yaml', files)?.source, 'chart-yaml');
    assert.equal(findPinnedChart('/r/values.yaml', files.slice(0, 1))?.version, '2.12.4');
  });

  it('survives files that are not YAML or hold Go templates', () => {
    const files = [
      { path: '/r/helmfile.yaml', text: 'releases:\n{{ range .Values.apps }}\n  - name: {{ . }}\n{{ end }}\n' },
      { path: '/r/Chart.yaml', text: ': : :\n\t-' },
    ];
    assert.equal(findPinnedChart('/r/values.yaml', files), undefined);
  });

  it('writes relative paths between folders', () => {
    assert.equal(relativePath('/a/b', '/a/b/Chart.yaml'), 'Chart.yaml');
    assert.equal(relativePath('/a/b/c', '/a/helmfile.yaml'), '../../helmfile.yaml');
    assert.equal(relativePath('/a/b', '/a/x/app.yaml'), '../x/app.yaml');
  });
});
