import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';

const workspace = process.env.NATS_K3S_TEST_WORKSPACE!;
const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'values');

const ours = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nats-k3s');

/** Resolves with the document's nats-k3s diagnostics once `accept` likes them. */
function diagnosticsWhen(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve) => {
    if (accept(ours(uri))) return resolve(ours(uri));
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      if (accept(ours(uri))) {
        sub.dispose();
        resolve(ours(uri));
      }
    });
  });
}

function write(path: string, text: string): string {
  const file = join(workspace, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

async function open(file: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
}

const describeAll = (diags: vscode.Diagnostic[]) =>
  diags.map((d) => `${d.range.start.line}:${String(d.code)} ${d.message}`).join('\n');

const chartYaml = (dep: string) =>
  `apiVersion: v2\nname: platform\nversion: 0.1.0\ndependencies:\n  - name: nats\n${dep}    repository: https://nats-io.github.io/k8s/helm/charts/\n`;

describe('extension host: values checked against the chart version pinned in the workspace', () => {
  it("an umbrella whose Chart.yaml pins nats 1.3.14 warns on nats.container.resources, hovers the pin, and follows the Chart.yaml's edits", async () => {
    const chart = write('platform/Chart.yaml', chartYaml('    version: 1.3.14\n    condition: nats.enabled\n'));
    const values = write(
      'platform/values.yaml',
      'nats:\n  enabled: true\n  container:\n    resources:\n      limits:\n        memory: 1Gi\n',
    );
    const editor = await open(values);
    const uri = editor.document.uri;
    const diags = await diagnosticsWhen(uri, (d) => d.some((x) => x.message.includes('added in 1.3.15')));
    assert.equal(diags.length, 1, describeAll(diags));
    const [warning] = diags;
    assert.equal(warning?.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(editor.document.getText(warning?.range), 'resources');
    assert.equal(
      warning?.message,
      'Chart 1.3.14 ignores `container.resources` (added in 1.3.15): use `container.merge.resources`.',
    );

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      uri,
      new vscode.Position(3, 6),
    );
    const hoverText = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
      .join('\n');
    assert.match(hoverText, /Checked against chart 1\.3\.14 from Chart\.yaml/);

    // Moving the umbrella to 1.3.15 on disk clears the warning: the pin files are watched.
    writeFileSync(chart, readFileSync(chart, 'utf8').replace('1.3.14', '1.3.15'));
    const after = await diagnosticsWhen(uri, (d) => d.length === 0);
    assert.deepEqual(after, []);
  });

  it('an umbrella with an aliased subchart is found from its Chart.yaml and checked under the alias', async () => {
    write('aliased/Chart.yaml', chartYaml('    alias: bus\n    version: 2.14.2\n    condition: installNats\n'));
    const values = write(
      'aliased/values.yaml',
      'installNats: true\ntags:\n  messaging: true\nbus:\n  config:\n    jetstream:\n      enabled: "yes"\n',
    );
    const editor = await open(values);
    const diags = await diagnosticsWhen(editor.document.uri, (d) => d.length > 0);
    assert.deepEqual(
      diags.map((d) => [d.code, d.range.start.line]),
      [['wrong-type', 6]],
      describeAll(diags),
    );
  });

  it('a helmfile release naming the file pins its version', async () => {
    write(
      'deploy/helmfile.yaml',
      'releases:\n  - name: nats\n    chart: nats/nats\n    version: 2.12.3\n    values:\n      - values/nats-values.yaml\n',
    );
    const values = write('deploy/values/nats-values.yaml', 'config:\n  cluster:\n    noAdvertise: false\n');
    const editor = await open(values);
    const diags = await diagnosticsWhen(editor.document.uri, (d) => d.length > 0);
    assert.equal(diags.length, 1, describeAll(diags));
    assert.match(diags[0]?.message ?? '', /Chart 2\.12\.3 ignores `config\.cluster\.noAdvertise` \(added in 2\.12\.4/);
  });

  it("Bitnami's nats chart values get one information line and no error", async () => {
    const values = write(
      'bitnami/nats-values.yaml',
      readFileSync(join(fixtures, 'bitnami', 'values-9.0.29.yaml'), 'utf8'),
    );
    const editor = await open(values);
    const diags = await diagnosticsWhen(editor.document.uri, (d) => d.length > 0);
    assert.deepEqual(
      diags.map((d) => [d.code, d.severity]),
      [['other-chart', vscode.DiagnosticSeverity.Information]],
      describeAll(diags),
    );
    assert.match(diags[0]?.message ?? '', /Bitnami's `nats` chart/);
  });
});
