// The release life cycle with REAL helm v3 and v4 against a real API server (the K3s-shaped stack: kube-apiserver on
// kine on NATS): install, list, upgrade, history, per-revision values, rollback and uninstall of the real chart, read
// through the product's HelmClient, so its beliefs about helm's JSON are checked against helm itself. It runs on the
// shared stack (sharedStack.ts), whose kwok node makes the pods Ready; nothing here depends on them.
import * as assert from 'node:assert/strict';
import { HelmClient } from '../../../../src/core/helm/helmClient';
import { natsReleases } from '../../../../src/core/helm/helmOutput';
import type { K8sStack } from '../../../harness/k8sStack';
import { sharedStack } from '../../../harness/sharedStack';
import { chartDir, HELMS, helmSandbox, type HelmSandbox } from './chartFixture';

describe('release life cycle with real helm against the K3s-shaped stack', function () {
  this.timeout(180_000);
  let stack: K8sStack;
  before(async () => {
    stack = await sharedStack();
  });

  for (const name of HELMS) {
    describe(name, () => {
      let box: HelmSandbox;
      let helm: HelmClient;
      const ns = `life-${name}`;
      const ref = { release: 'nats', namespace: ns };
      before(() => {
        box = helmSandbox(name);
        helm = new HelmClient({ helmPath: box.helmPath, kubeconfigPaths: [stack.kubeconfig], env: box.env });
      });
      after(() => box?.remove());

      it('installs, lists, upgrades, keeps the history and values per revision, rolls back and uninstalls', async () => {
        const chart = chartDir('2.14.2');
        const first = box.file(
          'first.yaml',
          'config:\n  cluster:\n    enabled: true\n    replicas: 3\n  jetstream:\n    enabled: true\n',
        );
        const second = box.file(
          'second.yaml',
          'config:\n  cluster:\n    enabled: true\n    replicas: 3\n  jetstream:\n    enabled: true\n    memoryStore:\n      enabled: true\n      maxSize: 512Mi\n',
        );
        const resized = box.file(
          'resized.yaml',
          'config:\n  cluster:\n    enabled: true\n    replicas: 3\n  jetstream:\n    enabled: true\n    fileStore:\n      pvc:\n        size: 20Gi\n',
        );
        await helm.upgradeInstall({ release: 'nats', namespace: ns, valuesFile: first, chart });

        const listed = natsReleases(await helm.listReleases()).find((r) => r.namespace === ns);
        assert.ok(listed, 'helm list shows the release');
        assert.deepEqual(
          {
            name: listed.name,
            revision: listed.revision,
            status: listed.status,
            chartName: listed.chartName,
            chartVersion: listed.chartVersion,
            appVersion: listed.appVersion,
          },
          {
            name: 'nats',
            revision: 1,
            status: 'deployed',
            chartName: 'nats',
            chartVersion: '2.14.2',
            appVersion: '2.14.2',
          },
        );

        await helm.upgradeInstall({ release: 'nats', namespace: ns, valuesFile: second, chart });
        let history = await helm.history(ref);
        assert.deepEqual(
          history.map((r) => [r.revision, r.status]),
          [
            [2, 'deployed'],
            [1, 'superseded'],
          ],
        );
        assert.match(history[1]!.description, /^Install complete/);
        assert.equal(history[0]!.chart, 'nats-2.14.2');
        assert.deepEqual(await helm.releaseValues(ref, undefined, 1), {
          config: { cluster: { enabled: true, replicas: 3 }, jetstream: { enabled: true } },
        });
        assert.deepEqual(
          ((await helm.releaseValues(ref)) as { config: { jetstream: { memoryStore: unknown } } }).config.jetstream
            .memoryStore,
          { enabled: true, maxSize: '512Mi' },
        );

        // What users run into: a new JetStream volume size. The API server refuses it; the sentence says why and what to do.
        await assert.rejects(
          helm.upgradeInstall({ release: 'nats', namespace: ns, valuesFile: resized, chart }),
          (err: Error) => {
            assert.match(
              err.message,
              /^Kubernetes refused the upgrade of release nats: a StatefulSet's volume claim templates cannot change/,
            );
            return true;
          },
        );
        await helm.rollback(ref, 2); // helm 3 marks the refused upgrade failed; back to a deployed revision either way

        await helm.rollback(ref, 1);
        history = await helm.history(ref);
        assert.equal(history[0]!.status, 'deployed');
        assert.equal(history[0]!.description, 'Rollback to 1');
        assert.deepEqual(
          history
            .slice(1)
            .map((r) => r.status)
            .filter((st) => st === 'deployed'),
          [],
          'one deployed revision',
        );
        assert.deepEqual(await helm.releaseValues(ref), {
          config: { cluster: { enabled: true, replicas: 3 }, jetstream: { enabled: true } },
        });

        await helm.uninstall(ref);
        assert.equal(
          natsReleases(await helm.listReleases()).find((r) => r.namespace === ns),
          undefined,
        );
      });
    });
  }
});
