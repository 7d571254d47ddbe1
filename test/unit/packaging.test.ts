import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipEntries } from '../harness/zipEntries';
import { repoRoot } from '../harness/tools';
import { RESTRICTED_SETTINGS } from '../../src/vscode/ids';

interface Manifest {
  name: string;
  displayName: string;
  publisher: string;
  main: string;
  engines: { vscode: string };
  activationEvents?: string[];
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; restrictedConfigurations?: string[] } };
  contributes: {
    configuration: { properties: Record<string, { scope?: string }> };
    viewsContainers: { activitybar: { id: string; title: string; icon: string }[] };
    views: Record<string, { id: string }[]>;
    commands: { command: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
  };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const VSIX = join(repoRoot, 'nats-k3s.vsix');

/** True when a caret range like ^1.138.0 accepts `version` (same major, not below the minimum). */
function caretAccepts(range: string, version: string): boolean {
  const m = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!m) return false;
  const want = m.slice(1).map(Number);
  const have = version.split('.').map(Number);
  if (have[0] !== want[0]) return false;
  for (let i = 1; i < 3; i++) if (have[i] !== want[i]) return (have[i] ?? 0) > (want[i] ?? 0);
  return true;
}

describe('manifest', () => {
  it('has no key twice in one object (JSON.parse keeps the last, so the first menu list would be lost)', () => {
    const text = readFileSync(join(repoRoot, 'package.json'), 'utf8');
    const repeated: string[] = [];
    // Objects' keys by nesting depth; a key seen again at the same open object is a duplicate.
    const open: Set<string>[] = [];
    // Whole strings are matched first, so a brace inside one is not taken for an object's.
    const tokens = /"(?:[^"\\]|\\.)*"(\s*:)?|[{}]/g;
    for (let m = tokens.exec(text); m; m = tokens.exec(text)) {
      if (m[0] === '{') open.push(new Set());
      else if (m[0] === '}') open.pop();
      else if (m[1] !== undefined) {
        const key = m[0].slice(0, m[0].lastIndexOf(':')).trim();
        if (open.at(-1)?.has(key)) repeated.push(key);
        open.at(-1)?.add(key);
      }
    }
    assert.deepEqual(repeated, []);
  });

  it('names the extension and accepts VS Code 1.139.1', () => {
    assert.equal(manifest.name, 'nats-k3s');
    assert.equal(manifest.displayName, 'NATS for K3s');
    assert.equal(manifest.publisher, 'nats-k3s');
    assert.ok(caretAccepts(manifest.engines.vscode, '1.139.1'), `engines.vscode ${manifest.engines.vscode}`);
    assert.ok(!caretAccepts('^1.140.0', '1.139.1'), 'the range check itself refuses a newer minimum');
  });

  it('activates lazily only', () => {
    for (const event of manifest.activationEvents ?? []) {
      assert.ok(event !== '*' && event !== 'onStartupFinished', `eager activation event ${event}`);
    }
  });

  it('runs in Restricted Mode with limited support, ignoring the workspace values of settings that name programs, kubeconfigs, credential files or servers', () => {
    const trust = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(trust?.supported, 'limited');
    assert.deepEqual(trust?.restrictedConfigurations, [...RESTRICTED_SETTINGS]);
    for (const key of trust?.restrictedConfigurations ?? [])
      assert.ok(key in manifest.contributes.configuration.properties, `${key} is a setting`);
  });

  it('takes programs and kubeconfigs from the machine, with workspace overrides asked about', () => {
    const props = manifest.contributes.configuration.properties;
    assert.deepEqual(
      ['natsK3s.helmPath', 'natsK3s.kubectlPath', 'natsK3s.kubeconfig'].map((k) => props[k]?.scope),
      Array(3).fill('machine-overridable'),
    );
  });

  it('leaves Pause and Resume out of the menu of a consumer on a server too old for them, and nothing else', () => {
    // The tree gives such a consumer `consumer.noPause`; every `viewItem` test in these clauses is `==` or `=~`.
    const shows = (when: string, value: string) => {
      const eq = /viewItem == ([\w.]+)/.exec(when);
      const re = /viewItem =~ \/(.+?)\//.exec(when);
      return eq ? eq[1] === value : re ? new RegExp(re[1]!).test(value) : false;
    };
    const entries = manifest.contributes.menus['view/item/context']!.filter((e) =>
      /viewItem (==|=~) \S*consumer/.test(e.when ?? ''),
    );
    assert.ok(entries.length >= 6, entries.map((e) => e.command).join());
    for (const e of entries) {
      assert.equal(shows(e.when ?? '', 'consumer'), true, e.command);
      assert.equal(shows(e.when ?? '', 'consumer.noPause'), !/\.(pause|resume)$/.test(e.command), e.command);
    }
  });

  it('has a NATS view container with an icon of our own', () => {
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.title === 'NATS');
    assert.ok(container, 'a view container titled NATS');
    assert.ok(existsSync(join(repoRoot, container.icon)), `${container.icon} exists`);
    assert.match(readFileSync(join(repoRoot, container.icon), 'utf8'), /<svg[^>]*currentColor/);
    assert.ok((manifest.contributes.views[container.id] ?? []).length > 0, 'the container has views');
  });
});

describe('the .vsix', () => {
  const allowed = [
    /^extension\/dist\/(extension|cli|clientNode|valuesWorker|samplerWorker)\.js$/,
    /^extension\/dist\/codicons\/codicon\.(css|ttf)$/,
    /^extension\/(media|schemas|snippets)\//,
    /^extension\/(readme\.md|changelog\.md|LICENSE\.txt|LICENSE|package\.json)$/i,
  ];
  const vsixOwn = ['[Content_Types].xml', 'extension.vsixmanifest'];

  it('holds only dist, media, schemas, snippets, README, CHANGELOG, LICENSE and package.json', () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run 'npm run package'`);
    const entries = zipEntries(VSIX).filter((e) => !e.endsWith('/'));
    const extra = entries.filter((e) => !vsixOwn.includes(e) && !allowed.some((re) => re.test(e)));
    assert.deepEqual(extra, [], `unexpected files in the .vsix: ${extra.join(', ')}`);
    for (const needed of [
      'extension/dist/extension.js',
      'extension/dist/cli.js',
      'extension/dist/samplerWorker.js',
      'extension/dist/valuesWorker.js',
      'extension/package.json',
      'extension/readme.md',
      'extension/media/nats.svg',
    ]) {
      assert.ok(
        entries.some((e) => e.toLowerCase() === needed.toLowerCase()),
        `${needed} is in the .vsix`,
      );
    }
  });
});
