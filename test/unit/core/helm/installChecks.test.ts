import * as assert from 'node:assert/strict';
import {
  blockingProblems,
  describeChanges,
  describeProblems,
  refusedByKubernetes,
  upgradeChangesDocument,
} from '../../../../src/core/helm/installChecks';
import { diffValues } from '../../../../src/core/helm/valuesDiff';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';

describe('checks before an install', () => {
  it('lint errors block, warnings do not', () => {
    assert.deepEqual(blockingProblems(analyzeValues('config:\n  jetstream:\n    enabled: true\n')), []);
    const problems = blockingProblems(analyzeValues('config:\n  cluster:\n    enabled: true\n    enabled: false\n'));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.line, 4);
    assert.match(describeProblems(problems), /^line 4: .*twice/);
  });

  it('lists at most max problems and counts the rest', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ line: i + 1, path: `k${i}`, message: 'bad.' }));
    const text = describeProblems(many, 3);
    assert.equal(text.split('\n').length, 4);
    assert.match(text, /… and 7 more$/);
  });

  it('describes an upgrade’s changes one per line', () => {
    const changes = diffValues(
      { config: { cluster: { replicas: 3 } }, natsBox: { enabled: true } },
      { config: { cluster: { replicas: 5 }, jetstream: { enabled: true } } },
    );
    assert.equal(
      describeChanges(changes),
      [
        '~ config.cluster.replicas: 3 → 5',
        '+ config.jetstream: {"enabled":true}',
        '- natsBox (back to the chart default; was {"enabled":true})',
      ].join('\n'),
    );
    assert.equal(describeChanges(changes, 1), '~ config.cluster.replicas: 3 → 5\n… and 2 more');
    assert.match(upgradeChangesDocument('nats', 'nats', '/v.yaml', []), /no value changes/);
    assert.match(
      upgradeChangesDocument('nats', 'prod', '/v.yaml', changes),
      /^# Upgrade of release nats in namespace prod/,
    );
  });

  it('names the changes Kubernetes refuses on an existing StatefulSet (its volume claim templates)', () => {
    const changes = diffValues(
      { config: { jetstream: { enabled: true, fileStore: { pvc: { size: '10Gi' } } }, cluster: { replicas: 3 } } },
      {
        config: {
          jetstream: { enabled: true, fileStore: { pvc: { size: '20Gi', storageClassName: 'fast' } } },
          cluster: { replicas: 5 },
        },
      },
    );
    assert.deepEqual(
      refusedByKubernetes(changes)
        .map((c) => c.path)
        .sort(),
      ['config.jetstream.fileStore.pvc.size', 'config.jetstream.fileStore.pvc.storageClassName'],
    );
    assert.deepEqual(
      refusedByKubernetes(
        diffValues({ config: { cluster: { replicas: 3 } } }, { config: { cluster: { replicas: 5 } } }),
      ),
      [],
    );
  });
});
