/**
 * The committed Kubernetes descriptor (src/core/kine/k8sDescriptorData.ts) is what the generator makes today from the
 * module versions in scripts/k8s-descriptor/modules.ts: a version bumped, a reader changed or the data edited by hand
 * without regenerating fails here. Needs the `go` command and the Go module proxy (or the module cache, which setup's
 * Go builds and a first run fill), as the generator does.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../harness/tools';

const run = promisify(execFile);

describe('the committed Kubernetes descriptor is fresh', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'nats-k3s-descriptor-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('equals what the generator writes from the modules it names', async () => {
    const out = join(dir, 'k8sDescriptorData.ts');
    const started = Date.now();
    const { stdout } = await run(
      process.execPath,
      [join(repoRoot, 'out', 'scripts', 'k8s-descriptor', 'generate.js'), '--out', out],
      { env: { ...process.env, GOFLAGS: '-mod=mod' }, maxBuffer: 4 * 1024 * 1024 },
    );
    console.log(`      generator: ${Date.now() - started} ms; ${stdout.trim().replace(/^.*?: /, '')}`);
    const committed = readFileSync(join(repoRoot, 'src', 'core', 'kine', 'k8sDescriptorData.ts'), 'utf8');
    assert.ok(
      readFileSync(out, 'utf8') === committed,
      'src/core/kine/k8sDescriptorData.ts is not what the generator makes from scripts/k8s-descriptor/modules.ts: run npm run gen:k8s-descriptor.',
    );
  });
});
