import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { startCodeServer, type CodeServer } from '../harness/codeServer';
import { startNatsCluster } from '../harness/natsCluster';
import { startNatsServer } from '../harness/natsServer';
import { repoRoot } from '../harness/tools';

export const VSIX = join(repoRoot, 'nats-k3s.vsix');
export const RESULTS = join(repoRoot, 'test-results');

/** The NATS beside the workbench: one server, or the chart's 3-node JetStream cluster. */
export interface WorkbenchNats {
  readonly urls: string[];
  stop(): Promise<void>;
}

/** A browser on a fresh code-server with the built .vsix installed, next to a real nats-server or cluster. */
export interface Workbench {
  readonly page: Page;
  readonly nats: WorkbenchNats;
  readonly server: CodeServer;
  readonly folder: string;
  /** The NATS view container's panel. */
  view(): Locator;
  row(name: string | RegExp): Locator;
  /** Opens the NATS view; folds its Releases view unless asked not to, so the Connections tree has the height. */
  openNatsView(options?: { foldReleases?: boolean }): Promise<void>;
  /** Drags the side bar's edge to the right, so long row descriptions show whole. */
  widenSideBar(pixels: number): Promise<void>;
  runCommand(title: string): Promise<void>;
  /**
   * Right-clicks `row` and runs the entry of its context menu labelled exactly `entry`. A right-click while the tree
   * still redraws (a fresh workbench loading its rows) can open the menu of a row that moved under the pointer: that
   * menu is closed and the row right-clicked again, up to three times.
   */
  contextMenu(row: Locator, entry: string): Promise<void>;
  /** A line of the active text editor (Monaco renders spaces as no-break spaces, which `\s` matches). */
  editorLine(text: RegExp): Locator;
  /**
   * Opens a tree row by its twistie and waits to see it open. A click while the tree redraws (rows above loading
   * their children) can land on a row that moved: then it tries again, up to three times.
   */
  expand(name: RegExp): Promise<void>;
  screenshot(name: string): Promise<string>;
  close(failed: boolean): Promise<void>;
}

export interface WorkbenchOptions {
  /** Writes test data to the NATS servers before code-server starts. */
  readonly seed?: (urls: string[]) => Promise<void>;
  /** A 3-node JetStream cluster instead of one server. */
  readonly cluster?: boolean;
  /** User settings; a function gets the NATS URLs, for connections that name them. */
  readonly settings?: Record<string, unknown> | ((urls: string[]) => Record<string, unknown>);
  /** Files of the workspace folder, by path relative to it (folders are made as needed). */
  /** A function gets the NATS URLs too, for files that name the server (a workspace's natsK3s.connections). */
  readonly files?: Record<string, string> | ((folder: string, urls: string[]) => Record<string, string>);
  /** Workspace trust on, as in desktop VS Code: the folder opens in Restricted Mode until the user trusts it. */
  readonly workspaceTrust?: boolean;
}

/**
 * For a describe block: starts a workbench before its tests and closes it after them, keeping a screenshot and
 * code-server's folder when a test failed. `options` runs inside the before hook (after the suite's own set-up).
 */
export function useWorkbench(
  options: () => WorkbenchOptions | Promise<WorkbenchOptions> = () => ({}),
): () => Workbench {
  let wb: Workbench | undefined;
  let failed = false;
  before(async () => {
    wb = await startWorkbench(await options());
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async () => {
    await wb?.close(failed);
  });
  return () => {
    if (!wb) throw new Error('the workbench did not start (see the before hook)');
    return wb;
  };
}

export async function startWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  assert.ok(existsSync(VSIX), `${VSIX} is missing: run 'npm run package'`);
  mkdirSync(RESULTS, { recursive: true });
  const folder = mkdtempSync(join(tmpdir(), 'nk3s-ui-ws-'));
  const nats: WorkbenchNats = options.cluster
    ? await startNatsCluster()
    : await startNatsServer().then((n) => ({ urls: [n.url], stop: () => n.stop() }));
  const files = typeof options.files === 'function' ? options.files(folder, nats.urls) : (options.files ?? {});
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), text, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    await options.seed?.(nats.urls);
    server = await startCodeServer({
      install: [VSIX],
      folder,
      workspaceTrust: options.workspaceTrust ?? false,
      settings: {
        'natsK3s.defaultServerUrl': nats.urls.join(','),
        ...(typeof options.settings === 'function' ? options.settings(nats.urls) : options.settings),
      },
    });
    browser = await launchChromium(server.dir);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const view = () => page.locator('[id="workbench.view.extension.natsK3s"]');
    const s = server;
    const b = browser;
    return {
      page,
      nats,
      server: s,
      folder,
      view,
      row: (name) => view().getByRole('treeitem', { name }),
      async openNatsView({ foldReleases = true } = {}) {
        await page.locator('.activitybar').getByRole('tab', { name: /NATS/ }).click({ timeout: 60_000 });
        // The tree renders only the rows that fit, so a shorter view can hide the row a test needs.
        if (foldReleases) await page.locator('.pane-header', { hasText: 'Releases' }).click();
      },
      async widenSideBar(pixels) {
        const box = await page.locator('[id="workbench.parts.sidebar"]').boundingBox();
        assert.ok(box, 'the side bar is visible');
        const edge = { x: box.x + box.width + 1, y: box.y + box.height / 2 };
        await page.mouse.move(edge.x, edge.y);
        await page.mouse.down();
        await page.mouse.move(edge.x + pixels, edge.y, { steps: 5 });
        await page.mouse.up();
      },
      async runCommand(title) {
        await page.keyboard.press('F1');
        const input = page.locator('.quick-input-widget input');
        await input.fill(`>${title}`);
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: title })
          .first()
          .waitFor({ timeout: 10_000 });
        await input.press('Enter');
      },
      async contextMenu(row, entry) {
        const item = page.getByRole('menuitem', { name: entry, exact: true });
        for (let attempt = 1; ; attempt++) {
          await row.click({ button: 'right', timeout: 15_000 });
          const offered = await item.waitFor({ timeout: 5_000 }).then(
            () => true,
            () => false,
          );
          if (offered) break;
          if (attempt === 3) throw new Error(`the context menu never offered '${entry}'`);
          await page.keyboard.press('Escape');
        }
        // Hovered, then Enter: a click just after the menu opens can be taken for the right-click's release.
        await item.hover({ timeout: 15_000 });
        await page.locator('.monaco-menu .action-item.focused', { hasText: entry }).waitFor({ timeout: 15_000 });
        await page.keyboard.press('Enter');
        await item.waitFor({ state: 'detached', timeout: 15_000 });
      },
      async expand(name) {
        const open = view().getByRole('treeitem', { name, expanded: true }).first();
        for (let attempt = 1; ; attempt++) {
          const r = view().getByRole('treeitem', { name }).first();
          await r.waitFor({ timeout: 30_000 });
          if ((await r.getAttribute('aria-expanded')) !== 'true') await r.locator('.monaco-tl-twistie').click();
          const opened = await open.waitFor({ timeout: 10_000 }).then(
            () => true,
            () => false,
          );
          if (opened) return;
          if (attempt === 3) throw new Error(`the row ${name} did not open`);
        }
      },
      editorLine: (text) =>
        page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: text }).first(),
      async screenshot(name) {
        const path = join(RESULTS, name);
        await page.mouse.move(1270, 790); // no hover highlight in the picture
        await page.screenshot({ path, animations: 'disabled' });
        // README shows screenshots these tests made: UPDATE_README_SCREENSHOT=1 npm test refreshes the ones it names.
        if (
          process.env.UPDATE_README_SCREENSHOT === '1' &&
          readFileSync(join(repoRoot, 'README.md'), 'utf8').includes(`docs/${name}`)
        ) {
          copyFileSync(path, join(repoRoot, 'docs', name));
        }
        return path;
      },
      async close(failed) {
        if (failed) await page.screenshot({ path: join(RESULTS, `fail-${Date.now()}.png`) }).catch(() => undefined);
        await b.close();
        await s.stop({ keepDir: failed });
        await nats.stop();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await browser?.close();
    await server?.stop({ keepDir: true });
    await nats.stop();
    throw err;
  }
}
