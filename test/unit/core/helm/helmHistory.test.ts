import * as assert from 'node:assert/strict';
import { getValuesArgs, HelmArgumentError, historyArgs, rollbackArgs } from '../../../../src/core/helm/helmArgs';
import { parseHistory } from '../../../../src/core/helm/helmOutput';

const ref = { release: 'nats', namespace: 'nats', kubeconfig: '/k/config' };

describe('helm history and rollback', () => {
  it('builds history, per-revision values and rollback argument arrays', () => {
    assert.deepEqual(historyArgs(ref), ['history', 'nats', '--namespace=nats', '-o', 'json', '--kubeconfig=/k/config']);
    assert.deepEqual(getValuesArgs(ref, 2), [
      'get',
      'values',
      'nats',
      '--namespace=nats',
      '--revision=2',
      '-o',
      'json',
      '--kubeconfig=/k/config',
    ]);
    assert.deepEqual(rollbackArgs(ref, 2), ['rollback', 'nats', '2', '--namespace=nats', '--kubeconfig=/k/config']);
    assert.deepEqual(rollbackArgs(ref, 3, 120), [
      'rollback',
      'nats',
      '3',
      '--namespace=nats',
      '--wait',
      '--timeout=120s',
      '--kubeconfig=/k/config',
    ]);
  });

  it('refuses revisions helm would not know, and bad timeouts', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => rollbackArgs(ref, bad), HelmArgumentError, String(bad));
      assert.throws(() => getValuesArgs(ref, bad), HelmArgumentError, String(bad));
    }
    assert.throws(() => rollbackArgs(ref, 2, 0), /not a positive whole number/);
  });

  it('reads helm history -o json newest first (helm 3 and 4 print the same fields)', () => {
    const out = JSON.stringify([
      {
        revision: 1,
        updated: '2026-11-29T20:00:00.1Z',
        status: 'superseded',
        chart: 'nats-2.14.2',
        app_version: '2.14.2',
        description: 'Install complete',
      },
      {
        revision: 2,
        updated: '2026-11-29T20:05:00.2Z',
        status: 'superseded',
        chart: 'nats-2.14.2',
        app_version: '2.14.2',
        description: 'Upgrade complete',
      },
      {
        revision: 3,
        updated: '2026-11-29T20:09:00.3Z',
        status: 'deployed',
        chart: 'nats-2.14.2',
        app_version: '2.14.2',
        description: 'Rollback to 1',
      },
    ]);
    const history = parseHistory(out);
    assert.deepEqual(
      history.map((r) => [r.revision, r.status, r.description]),
      [
        [3, 'deployed', 'Rollback to 1'],
        [2, 'superseded', 'Upgrade complete'],
        [1, 'superseded', 'Install complete'],
      ],
    );
    assert.equal(history[0]!.appVersion, '2.14.2');
    assert.deepEqual(parseHistory('null'), []);
    assert.throws(() => parseHistory('Error: release: not found'), /not JSON/);
  });
});
