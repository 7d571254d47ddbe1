// Preview and the local-chart setting with REAL helm v3 and v4 on the real chart (../shared/charts): helm renders
// without a cluster, so nothing here is a double. The command runs as a user runs it, through its registered id.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { parseAllDocuments } from 'yaml';
import { ClusterCommands } from '../../src/vscode/cluster/clusterIds';
import { repoRoot, tools } from '../harness/tools';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const CHART = join(repoRoot, '..', 'shared', 'charts', 'nats-2.14.2');

describe('extension host: preview renders the real chart with real helm', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nk3s-preview-'));
  });
  after(async () => {
    for (const key of ['helmPath', 'helm.chart'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, helm] of [
    ['helm v3', () => tools().helm3],
    ['helm v4', () => tools().helm4],
  ] as const) {
    it(`${name}: a local chart from natsK3s.helm.chart, rendered with the values file into a YAML document`, async () => {
      await config().update('helmPath', helm(), vscode.ConfigurationTarget.Global);
      await config().update('helm.chart', CHART, vscode.ConfigurationTarget.Global);
      const file = join(dir, `values-${name.replace(' ', '')}.yaml`);
      writeFileSync(
        file,
        'config:\n  cluster:\n    enabled: true\n    replicas: 3\n  jetstream:\n    enabled: true\n    fileStore:\n      pvc:\n        size: 5Gi\n',
      );
      const uri = await vscode.commands.executeCommand<string>(ClusterCommands.preview, {
        valuesFile: file,
        release: 'k3s',
        namespace: 'nats',
      });
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
      assert.ok(doc, `the preview document ${uri} is open`);
      assert.equal(doc.languageId, 'yaml');
      const objects = parseAllDocuments(doc.getText())
        .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string }; spec?: Record<string, unknown> } | null)
        .filter((o) => o?.kind);
      const sts = objects.find((o) => o!.kind === 'StatefulSet')!;
      assert.equal(sts.metadata?.name, 'k3s-nats');
      assert.equal(sts.spec?.replicas, 3);
      const claim = (
        sts.spec!.volumeClaimTemplates as { spec: { resources: { requests: { storage: string } } } }[]
      )[0]!;
      assert.equal(claim.spec.resources.requests.storage, '5Gi');
      assert.ok(objects.some((o) => o!.kind === 'ConfigMap' && o!.metadata?.name === 'k3s-nats-config'));
    });
  }

  it('a local chart that does not exist: the command stops before helm renders anything', async () => {
    await config().update('helmPath', tools().helm4, vscode.ConfigurationTarget.Global);
    await config().update('helm.chart', join(dir, 'no-such-chart'), vscode.ConfigurationTarget.Global);
    const file = join(dir, 'values.yaml');
    writeFileSync(file, 'config: {}\n');
    const result = await vscode.commands.executeCommand<string | undefined>(ClusterCommands.preview, {
      valuesFile: file,
      release: 'gone',
      namespace: 'nats',
    });
    assert.equal(result, undefined);
    assert.equal(vscode.workspace.textDocuments.filter((d) => d.uri.path.startsWith('/helm/nats/gone/')).length, 0);
  });
});
