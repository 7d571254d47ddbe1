// Shared by the explorer's extension-host tests: the extension's API, walking the tree by labels, and waiting on
// events with a deadline (never a fixed sleep).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NatsK3sApi } from '../../src/extension';
import type { ExplorerNode } from '../../src/vscode/explorer/explorerNodes';

export const EXTENSION_ID = 'nats-k3s.nats-k3s';

export async function api(): Promise<NatsK3sApi> {
  const ext = vscode.extensions.getExtension<NatsK3sApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is loaded`);
  return ext.activate();
}

export function labelOf(a: NatsK3sApi, node: ExplorerNode): string {
  const label = a.explorer.getTreeItem(node).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/** Walks the tree by labels, as a user expanding nodes would. */
export async function find(a: NatsK3sApi, ...labels: string[]): Promise<ExplorerNode> {
  let children = await a.explorer.getChildren();
  let node: ExplorerNode | undefined;
  for (const label of labels) {
    node = children.find((n) => labelOf(a, n) === label);
    assert.ok(node, `no '${label}' among ${children.map((n) => labelOf(a, n)).join(', ')}`);
    children = await a.explorer.getChildren(node);
  }
  return node!;
}

export async function labelsOf(a: NatsK3sApi, node: ExplorerNode | undefined): Promise<string[]> {
  return (await a.explorer.getChildren(node)).map((n) => labelOf(a, n));
}

/**
 * Resolves once `check` holds, testing it now and after each firing of `event`; rejects after `timeoutMs` naming
 * `what`. `check` may be async (e.g. it reads tree children).
 */
export function until(
  event: vscode.Event<unknown> | vscode.Event<unknown>[],
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const events = Array.isArray(event) ? event : [event];
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const subs: vscode.Disposable[] = [];
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const s of subs) s.dispose();
      if (err) reject(err);
      else resolve();
    };
    const test = async () => {
      try {
        if (!done && (await check())) finish();
      } catch (err) {
        finish(err as Error);
      }
    };
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    for (const e of events) subs.push(e(() => void test()));
    void test();
  });
}

export function allTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs);
}

/** Resolves to the first tab `match` accepts, waiting for tab changes until one appears. */
export async function tabWhere(match: (t: vscode.Tab) => boolean, what: string): Promise<vscode.Tab> {
  await until(vscode.window.tabGroups.onDidChangeTabs, () => allTabs().some(match), what);
  return allTabs().find(match)!;
}
