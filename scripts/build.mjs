// Builds everything from TypeScript with esbuild; type checking is `tsc --noEmit` (npm run typecheck).
//   dist/extension.js, dist/cli.js, dist/samplerWorker.js, dist/valuesWorker.js: the shipped bundles (CommonJS, `vscode`
//   left external); dist/codicons.
//   out/**: src, test and scripts transpiled file by file, for the test runners and the demo.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const define = { NATS_K3S_VERSION: JSON.stringify(pkg.version) };
const common = { platform: 'node', target: 'node20', format: 'cjs', logLevel: 'warning', define, absWorkingDir: root };

function tsFiles(dir) {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) return tsFiles(rel);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

// out/ is transpiled file by file: a test file renamed or removed would otherwise keep running from its old output.
// (out/tools.json, written by setup, stays.)
for (const dir of ['src', 'test', 'scripts', 'bench']) rmSync(join(root, 'out', dir), { recursive: true, force: true });

// Webviews load the codicon font from the extension itself (their CSP allows nothing remote).
mkdirSync(join(root, 'dist', 'codicons'), { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf'])
  copyFileSync(join(root, 'node_modules/@vscode/codicons/dist', f), join(root, 'dist', 'codicons', f));

// @kubernetes/client-node is most of the bundle's weight (about 3 MB) and only the cluster features use it: it gets a
// bundle of its own, dist/clientNode.js, which src/core/kube/clientNode.ts imports on first use, so activation never
// parses it.
// The values core (schema, analysis, the yaml parser) runs in a worker thread of its own, dist/valuesWorker.js, started
// when the first YAML file needs it (src/core/values/valuesThread.ts): activation does not parse it, and no analysis
// ever runs on the extension host's thread.
const lazyParts = {
  name: 'lazy-parts',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node$/ }, () => ({ path: './clientNode.js', external: true }));
  },
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    bundle: true,
    external: ['vscode'],
    minify: true,
    sourcemap: false,
    plugins: [lazyParts],
  }),
  build({
    ...common,
    entryPoints: ['src/core/values/valuesWorker.ts'],
    outfile: 'dist/valuesWorker.js',
    bundle: true,
    minify: true,
  }),
  // The subject sampler's worker thread (src/core/nats/samplerThread.ts starts it from beside itself).
  build({
    ...common,
    entryPoints: ['src/core/nats/samplerWorker.ts'],
    outfile: 'dist/samplerWorker.js',
    bundle: true,
    minify: true,
  }),
  build({
    ...common,
    stdin: { contents: "module.exports = require('@kubernetes/client-node');", resolveDir: root, loader: 'js' },
    outfile: 'dist/clientNode.js',
    bundle: true,
    minify: true,
  }),
  build({
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    bundle: true,
    minify: true,
    banner: { js: '#!/usr/bin/env node' },
  }),
  build({
    ...common,
    entryPoints: [...tsFiles('src'), ...tsFiles('test'), ...tsFiles('scripts'), ...tsFiles('bench')],
    outdir: 'out',
    outbase: '.',
    bundle: false,
    sourcemap: 'inline',
  }),
]);
