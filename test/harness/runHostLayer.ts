// Runs the extension-host layer: the mocha suite of test/host inside code-server's real VS Code extension host.
// code-server starts an extension host only for a connected workbench, so headless Chromium opens one whose URL
// payload names the extension (this repo) and the suite; the smoke-test driver reports the exit code back.
//   node out/test/harness/runHostLayer.js [counts.json]
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { launchChromium } from './browser';
import { startCodeServer } from './codeServer';
import type { LayerCounts } from './mochaSuite';
import { writeCounts } from './mochaSuite';
import { startNatsServer } from './natsServer';
import { withTimeout } from './processes';
import { repoRoot } from './tools';

// Workbench chatter forwarded with the suite's output: offline AI, gallery and connection set-up noise.
const NOISE = [
  /^\[AgentHost/, /^\[ChatModelSelection/, /^\[AccountPolicyGate/, /gallery/i, /ENOTFOUND/, /^\s*at .*http:\/\/127\.0\.0\.1/,
  /connection token/, /^Creating a socket/, /^\[reconnection-grace-time\]/, /^Updating additional builtin/, /^\[Service Worker\]/,
  /authentication provider/, /^Creation of workbench contribution/,
];

async function main(): Promise<number> {
  const countsFile = process.argv[2];
  const nats = await startNatsServer();
  let server: Awaited<ReturnType<typeof startCodeServer>> | undefined;
  let ok = false;
  const workspace = mkdtempSync('/tmp/nk3s-ws-');
  const hostCounts = join(workspace, '.host-counts.json');
  try {
    server = await startCodeServer({
      smokeTestDriver: true,
      settings: { 'natsK3s.defaultServerUrl': nats.url },
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
        // NATS_K3S_HOST_SUITE runs another entry in the host, e.g. a benchmark (bench/host).
        ['extensionTestsPath', remote(process.env.NATS_K3S_HOST_SUITE ? join(repoRoot, process.env.NATS_K3S_HOST_SUITE) : join(repoRoot, 'out', 'test', 'host', 'index.js'))],
      ]);
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
      const code = await withTimeout(exit, 300_000, 'the extension-host suite did not finish within 300 s');
      if (!existsSync(hostCounts)) {
        console.error(`The extension-host suite never ran (exit code ${code}); code-server's log: ${server.logFile}`);
        writeCounts(countsFile, { passed: 0, failed: 1, pending: 0 });
        return 1;
      }
      const counts = JSON.parse(readFileSync(hostCounts, 'utf8')) as LayerCounts;
      writeCounts(countsFile, counts);
      ok = code === 0 && counts.failed === 0;
      return ok ? 0 : 1;
    } finally {
      await browser.close();
    }
  } finally {
    await server?.stop({ keepDir: !ok });
    if (server && !ok) console.error(`Kept ${server.dir} for diagnosis (code-server.log, user data).`);
    await nats.stop();
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
