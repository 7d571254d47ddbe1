// "NATS: Check Values by Rendering the Chart" through its registered id, with REAL helm v3 and v4 and the real chart
// (natsK3s.helm.chart): the findings land in the Problems view on the values lines they come from.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/vscode/ids';
import type { RenderCheckOutcome } from '../../src/vscode/values/renderChecks';
import { repoRoot, tools } from '../harness/tools';
import { ScriptedPrompts } from './prompts';

const config = () => vscode.workspace.getConfiguration('natsK3s');
const CHART = join(repoRoot, '..', 'shared', 'charts', 'nats-2.14.2');
const SOURCE = 'nats-k3s render';

const renderDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);

/** Resolves once the document's render diagnostics satisfy `accept` (they change on events, never on a timer). */
function renderDiagnosticsWhen(
  uri: vscode.Uri,
  accept: (d: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    if (accept(renderDiagnostics(uri))) return resolve(renderDiagnostics(uri));
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString()) || !accept(renderDiagnostics(uri))) return;
      sub.dispose();
      resolve(renderDiagnostics(uri));
    });
  });
}

describe('extension host: render checks with real helm and the real chart', function () {
  this.timeout(60_000);
  let dir: string;
  let prompts: ScriptedPrompts;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nk3s-render-'));
    prompts = new ScriptedPrompts().install();
    await config().update('helm.chart', CHART, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    prompts.restore();
    for (const key of ['helmPath', 'helm.chart', 'values.renderOnSave'])
      await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, helm] of [
    ['helm v3', () => tools().helm3],
    ['helm v4', () => tools().helm4],
  ] as const) {
    it(`${name}: a quoted size and a stream with more replicas than servers, each on its own line; an edit clears them`, async () => {
      await config().update('helmPath', helm(), vscode.ConfigurationTarget.Global);
      const file = join(dir, `nats-values-${name.replace(' ', '')}.yaml`);
      writeFileSync(
        file,
        [
          'config:',
          '  merge:',
          '    max_payload: 8MB',
          'extraResources:',
          '  - apiVersion: jetstream.nats.io/v1beta2',
          '    kind: Stream',
          '    metadata:',
          '      name: orders',
          '    spec:',
          '      name: ORDERS',
          '      replicas: 3',
          '',
        ].join('\n'),
      );
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
      const outcome = await vscode.commands.executeCommand<RenderCheckOutcome>(Commands.renderCheckValues);
      assert.deepEqual(outcome.checks, ['quoted-size', 'stream-replicas']);
      assert.equal(outcome.chart, CHART);
      const found = renderDiagnostics(editor.document.uri).map((d) => [
        d.code,
        d.range.start.line,
        editor.document.getText(d.range),
        d.severity,
      ]);
      assert.deepEqual(found, [
        ['quoted-size', 2, 'max_payload', vscode.DiagnosticSeverity.Error],
        ['stream-replicas', 10, 'replicas', vscode.DiagnosticSeverity.Error],
      ]);
      assert.deepEqual(
        prompts.take().map((p) => [p.kind, p.text]),
        [
          [
            'showInformationMessage',
            `The rendered chart shows 2 problems: see the Problems view (source "${SOURCE}").`,
          ],
        ],
      );
      await editor.edit((e) => e.insert(new vscode.Position(0, 0), '# edited\n'));
      assert.deepEqual(await renderDiagnosticsWhen(editor.document.uri, (d) => d.length === 0), []);
    });
  }

  it('with natsK3s.values.renderOnSave, saving a values file renders it and reports what it finds', async () => {
    await config().update('helmPath', tools().helm4, vscode.ConfigurationTarget.Global);
    await config().update('values.renderOnSave', true, vscode.ConfigurationTarget.Global);
    const file = join(dir, 'nats-values-onsave.yaml');
    writeFileSync(file, 'config:\n  merge:\n    max_payload: << 8MB >>\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await editor.edit((e) => e.replace(new vscode.Range(2, 17, 2, 26), '8MB'));
    await editor.document.save();
    const found = await renderDiagnosticsWhen(editor.document.uri, (d) => d.length > 0);
    assert.deepEqual(
      found.map((d) => [d.code, d.range.start.line]),
      [['quoted-size', 2]],
    );
    await config().update('values.renderOnSave', undefined, vscode.ConfigurationTarget.Global);
  });

  it('helm missing: one sentence with Open Settings, and no render diagnostics', async () => {
    await config().update('helmPath', join(dir, 'no-helm'), vscode.ConfigurationTarget.Global);
    const file = join(dir, 'nats-values-nohelm.yaml');
    writeFileSync(file, 'config:\n  merge:\n    max_payload: 8MB\n');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    assert.equal(await vscode.commands.executeCommand(Commands.renderCheckValues), undefined);
    assert.deepEqual(
      prompts.take().map((p) => [p.kind, p.text, p.choices]),
      [
        [
          'showErrorMessage',
          `Helm was not found at ${join(dir, 'no-helm')}: install helm 3 or 4, or set natsK3s.helmPath to its path.`,
          ['Open Settings'],
        ],
      ],
    );
    assert.deepEqual(renderDiagnostics(editor.document.uri), []);
  });
});
