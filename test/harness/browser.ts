import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { tools } from './tools';

/** Launches Debian's headless Chromium; the flags keep it off the network and out of the home folder. */
export async function launchChromium(scratchDir: string): Promise<Browser> {
  const cfg = join(scratchDir, 'chromium-cfg');
  const cache = join(scratchDir, 'chromium-cache');
  mkdirSync(cfg, { recursive: true });
  mkdirSync(cache, { recursive: true });
  return chromium.launch({
    executablePath: tools().chromium,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    env: { ...process.env, XDG_CONFIG_HOME: cfg, XDG_CACHE_HOME: cache },
  });
}
