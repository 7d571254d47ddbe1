// Runs the extension-host layer: the mocha suites of test/host inside code-server's real VS Code extension host.
// code-server starts an extension host only for a connected workbench, so headless Chromium opens one whose URL
// payload names the extension (this repo) and the suite; the smoke-test driver reports the exit code back.
// Two passes, each in a code-server of its own: test/host with workspace trust off (every folder trusted), then
// test/host/restricted with trust on and a folder nobody trusted, so the extension runs in Restricted Mode.
//   node out/test/harness/runHostLayer.js [counts.json]
// NATS_K3S_HOST_SUITE=<entry .js> runs one other entry instead (a benchmark, a dev entry), in Restricted Mode when
// NATS_K3S_HOST_RESTRICTED=1.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './browser';
import { startCodeServer } from './codeServer';
import type { LayerCounts } from './mochaSuite';
import { writeCounts } from './mochaSuite';
import { startNatsServer, type NatsServer } from './natsServer';
import { withTimeout } from './processes';
import { repoRoot } from './tools';

// Workbench chatter forwarded with the suite's output: offline AI, gallery and connection set-up noise.
const NOISE = [
  /^\[AgentHost/,
  /^\[ChatModelSelection/,
  /^\[AccountPolicyGate/,
  /gallery/i,
  /ENOTFOUND/,
  /^\s*at .*http:\/\/127\.0\.0\.1/,
  /connection token/,
  /^Creating a socket/,
  /^\[reconnection-grace-time\]/,
  /^Updating additional builtin/,
  /^\[Service Worker\]/,
  /authentication provider/,
  /^Creation of workbench contribution/,
];

interface Pass {
  readonly title: string;
  /** The entry the extension host loads (extensionTestsPath), relative to the repository. */
  readonly suite: string;
  /** Workspace trust on and the folder untrusted: the extension runs in Restricted Mode. */
  readonly restricted: boolean;
}

function passes(): Pass[] {
  const only = process.env.NATS_K3S_HOST_SUITE;
  if (only) return [{ title: only, suite: only, restricted: process.env.NATS_K3S_HOST_RESTRICTED === '1' }];
  return [
    { title: 'trusted workspace', suite: join('out', 'test', 'host', 'index.js'), restricted: false },
    {
      title: 'Restricted Mode (an untrusted folder)',
      suite: join('out', 'test', 'host', 'restricted', 'index.js'),
      restricted: true,
    },
  ];
}

async function main(): Promise<number> {
  const countsFile = process.argv[2];
  const nats = await startNatsServer();
  const total: LayerCounts = { passed: 0, failed: 0, pending: 0 };
  try {
    for (const pass of passes()) {
      console.log(`\n-- extension host: ${pass.title}`);
      const counts = await runPass(pass, nats);
      total.passed += counts.passed;
      total.failed += counts.failed;
      total.pending += counts.pending;
    }
  } finally {
    await nats.stop();
  }
  writeCounts(countsFile, total);
  return total.failed === 0 ? 0 : 1;
}

/** One code-server, one workbench, one suite; resolves to its counts (a suite that never ran counts one failure). */
async function runPass(pass: Pass, nats: NatsServer): Promise<LayerCounts> {
  let server: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  let ok = false;
  const workspace = mkdtempSync('/tmp/nk3s-ws-');
  const hostCounts = join(workspace, '.host-counts.json');
  try {
    server = await startCodeServer({
      smokeTestDriver: true,
      workspaceTrust: pass.restricted,
      // No startup prompt: nobody answers it, and a folder nobody trusted is what Restricted Mode is about.
      settings: {
        'natsK3s.defaultServerUrl': nats.url,
        'natsK3s.kubectlPath': '/from/user/settings',
        ...(pass.restricted ? { 'security.workspace.trust.startupPrompt': 'never' } : {}),
      },
      env: { NATS_K3S_HOST_COUNTS: hostCounts, NATS_K3S_TEST_NATS_URL: nats.url, NATS_K3S_TEST_WORKSPACE: workspace },
    });
    const browser = await launchChromium(server.dir);
    try {
      const page = await browser.newPage();
      let resolveExit: (code: number) => void = () => undefined;
      const exit = new Promise<number>((resolve) => (resolveExit = resolve));
      await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
        // The workbench forwards console calls as (format, ...args), as console.log would take them.
        const text = format(...(Array.isArray(args) ? args : [args]));
        for (const line of text.split('\n')) if (!NOISE.some((re) => re.test(line))) console.log(line);
      });
      await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
      const remote = (p: string) => `vscode-remote://remote${p}`;
      const payload = JSON.stringify([
        ['extensionDevelopmentPath', remote(repoRoot)],
        ['extensionTestsPath', remote(join(repoRoot, pass.suite))],
      ]);
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
      // The whole suite in one host: about 200 tests, 5 min on a quiet 2-core machine; the limit only catches a hang.
      const code = await withTimeout(exit, 1_200_000, 'the extension-host suite did not finish within 20 min');
      if (!existsSync(hostCounts)) {
        console.error(`The extension-host suite never ran (exit code ${code}); code-server's log: ${server.logFile}`);
        return { passed: 0, failed: 1, pending: 0 };
      }
      const counts = JSON.parse(readFileSync(hostCounts, 'utf8')) as LayerCounts;
      ok = code === 0 && counts.failed === 0;
      return counts;
    } finally {
      await browser.close();
    }
  } finally {
    await server?.stop({ keepDir: !ok });
    if (server && !ok) console.error(`Kept ${server.dir} for diagnosis (code-server.log, user data).`);
    rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    writeCounts(process.argv[2], { passed: 0, failed: 1, pending: 0 });
    process.exitCode = 1;
  },
);
