import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ScriptedPrompts } from './prompts';

const workspace = process.env.NATS_K3S_TEST_WORKSPACE!;

/** Resolves with the document's nats-k3s diagnostics once `accept` likes them. */
function diagnosticsWhen(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'nats-k3s');
  return new Promise((resolve) => {
    if (accept(ours())) return resolve(ours());
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      if (accept(ours())) {
        sub.dispose();
        resolve(ours());
      }
    });
  });
}

async function open(name: string, text: string): Promise<vscode.TextEditor> {
  const file = join(workspace, name);
  writeFileSync(file, text);
  const doc = await vscode.workspace.openTextDocument(file);
  return vscode.window.showTextDocument(doc);
}

describe('extension host: values.yaml IntelliSense', () => {
  it('reports legacy 0.x keys and unknown keys with precise ranges', async () => {
    const editor = await open(
      'nats-values.yaml',
      'nats:\n  jetstream:\n    enabled: true\nconfig:\n  jetstrem:\n    enabled: true\n',
    );
    const diags = await diagnosticsWhen(editor.document.uri, (d) => d.some((x) => x.code === 'unknown-key'));
    const legacy = diags.find((d) => d.code === 'legacy-chart-key' && d.message.includes('nats.jetstream.enabled'));
    assert.ok(legacy, diags.map((d) => `${String(d.code)} ${d.message}`).join('\n'));
    assert.match(legacy.message, /config\.jetstream\.enabled/);
    const unknown = diags.find((d) => d.code === 'unknown-key')!;
    assert.equal(editor.document.getText(unknown.range), 'jetstrem');
    assert.equal(unknown.range.start.line, 4);
  });

  it('completes keys and enum values, and hovers with description and default', async () => {
    const editor = await open(
      'nats-values-complete.yaml',
      'config:\n  jetstream:\n    ena\ncontainer:\n  image:\n    pullPolicy: \n',
    );
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      new vscode.Position(2, 7),
    );
    const labels = keys.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('enabled'), labels.slice(0, 20).join(', '));
    const values = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      new vscode.Position(5, 16),
    );
    const valueLabels = values.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const v of ['IfNotPresent', 'Always', 'Never']) assert.ok(valueLabels.includes(v), valueLabels.join(', '));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(1, 4),
    );
    const text = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
      .join('\n');
    assert.match(text, /jetstream/i);
  });

  it('applies the quick fix that migrates one legacy key', async () => {
    const editor = await open('nats-values-fix.yaml', 'nats:\n  jetstream:\n    enabled: true\n');
    const [legacy] = await diagnosticsWhen(editor.document.uri, (d) => d.some((x) => x.code === 'legacy-chart-key'));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      legacy!.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.kind?.value === 'quickfix' && a.edit);
    assert.ok(fix, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.match(editor.document.getText(), /config:\n\s+jetstream:\n\s+enabled: true/);
    await diagnosticsWhen(editor.document.uri, (d) => !d.some((x) => x.code === 'legacy-chart-key'));
  });

  it('migrates a whole 0.x file after a diff preview listing every key and why', async () => {
    const editor = await open(
      'nats-values-migrate.yaml',
      'cluster:\n  enabled: true\n  replicas: 3\nnats:\n  jetstream:\n    enabled: true\n    fileStorage:\n      size: 20Gi\n\n# the box stays off\nnatsbox:\n  enabled: false\n',
    );
    const before = editor.document.getText();
    await diagnosticsWhen(editor.document.uri, (d) => d.some((x) => x.code === 'legacy-chart-key'));
    // The diff editor opens while the user decides (and closes after): every diff tab opened is recorded.
    const opened: vscode.TabInputTextDiff[] = [];
    const tabs = vscode.window.tabGroups.onDidChangeTabs((e) => {
      for (const t of e.opened) if (t.input instanceof vscode.TabInputTextDiff) opened.push(t.input);
    });
    const prompts = new ScriptedPrompts().install();
    try {
      // First the user looks and declines: the file stays as it was.
      prompts.once('showWarningMessage', /^Migrate .* to chart 2\.x\?/, undefined);
      await vscode.commands.executeCommand('natsK3s.values.migrate');
      const [asked] = prompts.take().filter((a) => a.modal);
      assert.ok(asked, 'no modal preview');
      assert.equal(editor.document.getText(), before);
      // and it closes once the user has decided.
      assert.equal(
        vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff)
          .length,
        0,
      );
      // The diff editor showed the file beside the migrated text.
      const [diff] = opened;
      assert.ok(diff, 'no diff editor');
      assert.equal(diff.original.toString(), editor.document.uri.toString());
      assert.equal(diff.modified.scheme, 'nats-k3s-migration');
      // Every flipped 0.x default is named with its reason, not just counted.
      for (const key of [
        'promExporter.enabled',
        'serviceAccount.enabled',
        'config.cluster.routeURLs.useFQDN',
        'config.cluster.noAdvertise',
        'podTemplate.configChecksumAnnotation',
      ])
        assert.match(asked.text, new RegExp(`added: ${key.replace(/\./g, '\\.')}: keeps .* chart 0\\.x defaulted to`));
      assert.match(asked.text, /moved: config\.cluster\.replicas: from `cluster\.replicas`/);
      assert.doesNotMatch(asked.text, /Kept \d+ 0\.x default/);

      await vscode.window.showTextDocument(editor.document);
      prompts.once('showWarningMessage', /^Migrate .* to chart 2\.x\?/, 'Apply Migration');
      await vscode.commands.executeCommand('natsK3s.values.migrate');
      const second = prompts.take();
      assert.ok(
        second.some((a) => a.modal),
        second.map((a) => a.text).join(' | '),
      );
    } finally {
      prompts.restore();
      tabs.dispose();
    }
    const text = editor.document.getText();
    assert.match(text, /\n\n# the box stays off\nnatsBox:\n\s+enabled: false/);
    assert.match(text, /config:\n\s+cluster:\n\s+enabled: true\n\s+replicas: 3/);
    await diagnosticsWhen(editor.document.uri, (d) => !d.some((x) => x.code === 'legacy-chart-key'));
  });

  it('offers "fix all in file" beside the one-key fix, and as source.fixAll', async () => {
    const editor = await open(
      'nats-values-fixall.yaml',
      'nats:\n  jetstream:\n    enabled: true\ncluster:\n  enabled: true\n',
    );
    const diags = await diagnosticsWhen(
      editor.document.uri,
      (d) => d.filter((x) => x.code === 'legacy-chart-key').length === 2,
    );
    const quick = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      diags[0]!.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = quick.map((a) => a.title);
    assert.ok(
      titles.some((t) => /^Migrate all 2 chart 0\.x key\(s\) in this file/.test(t)),
      titles.join(' | '),
    );
    assert.ok(quick.length >= 2, titles.join(' | '));
    const fixAll = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(0, 0, 0, 0),
      vscode.CodeActionKind.SourceFixAll.value,
    );
    const action = fixAll.find((a) => a.kind?.value === vscode.CodeActionKind.SourceFixAll.value);
    assert.ok(action?.edit, fixAll.map((a) => `${a.kind?.value} ${a.title}`).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    assert.match(
      editor.document.getText(),
      /config:\n\s+cluster:\n\s+enabled: true\n(.*\n)*\s+jetstream:\n\s+enabled: true/,
    );
    await diagnosticsWhen(editor.document.uri, (d) => !d.some((x) => x.code === 'legacy-chart-key'));
  });

  it('offers snippets only where a top-level block fits', async () => {
    const editor = await open(
      'nats-values-snippets.yaml',
      'config:\n  jetstream:\n    \nnatsBox:\n  enabled: true\n\n',
    );
    await diagnosticsWhen(editor.document.uri, () => true);
    const labelsAt = async (position: vscode.Position) => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>(
        'vscode.executeCompletionItemProvider',
        editor.document.uri,
        position,
      );
      return list.items
        .filter((i) => i.kind === vscode.CompletionItemKind.Snippet)
        .map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    };
    const inside = await labelsAt(new vscode.Position(2, 4));
    assert.deepEqual(
      inside.filter((l) => l.startsWith('nats-')),
      [],
    );
    const top = await labelsAt(new vscode.Position(5, 0));
    // Every snippet writes `config`, `container`, `podTemplate` or `natsBox`: here `config` and `natsBox` are taken.
    assert.ok(top.includes('nats-resources'), top.join(', '));
    assert.ok(!top.includes('nats-ha-jetstream'), top.join(', '));
    assert.ok(!top.includes('nats-natsbox-off'), top.join(', '));
  });

  it('hovers a 0.x key with where it goes, never repeating its diagnostic', async () => {
    const editor = await open(
      'nats-values-hover.yaml',
      'nats:\n  jetstream:\n    enabled: true\n    memStorage:\n      enabled: true\n      size: 1Gi\n',
    );
    const diags = await diagnosticsWhen(editor.document.uri, (d) =>
      d.some((x) => x.code === 'legacy-chart-key' && x.range.start.line === 5),
    );
    const hoverAt = async (line: number, character: number) =>
      (
        await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          editor.document.uri,
          new vscode.Position(line, character),
        )
      )
        .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value)))
        .join('\n');
    const size = await hoverAt(5, 7);
    const diagnostic = diags.find((d) => d.range.start.line === 5)!;
    assert.match(diagnostic.message, /becomes `config\.jetstream\.memoryStore\.maxSize`/);
    assert.match(size, /`config\.jetstream\.memoryStore\.maxSize`/);
    for (const sentence of diagnostic.message.split(/(?<=\.) /))
      assert.ok(!size.includes(sentence), `the hover repeats: ${sentence}`);
    const block = await hoverAt(3, 6);
    assert.match(block, /config\.jetstream\.memoryStore/);
    assert.doesNotMatch(block, /no equivalent/);
  });

  it('leaves the values.yaml of another chart alone', async () => {
    const editor = await open('values.yaml', 'replicaCount: 2\nimage:\n  repository: nginx\n');
    await new Promise<void>((resolve) => setImmediate(resolve));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(0, 2),
    );
    assert.equal(
      hovers.filter((h) =>
        h.contents.some((c) => /nats/i.test(typeof c === 'string' ? c : (c as vscode.MarkdownString).value)),
      ).length,
      0,
    );
    assert.equal(vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'nats-k3s').length, 0);
  });
});
