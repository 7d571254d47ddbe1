import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { nodePinFileSystem } from '../../../../src/core/values/nodePinFileSystem';
import { collectPinFiles } from '../../../../src/core/values/pinFiles';

describe('collecting the files that may pin a values file’s chart', () => {
  let dir = '';
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'nats-pins-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const put = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const names = (files: { path: string }[]) => files.map((f) => f.path.slice(dir.length + 1)).sort();

  it('keeps Chart.yaml/Chart.lock beside the file, helmfiles and Argo CD files up to the stop folder, nothing else', async () => {
    put('repo/apps/nats/Chart.yaml', 'name: x\n');
    put('repo/apps/nats/Chart.lock', 'dependencies: []\n');
    put('repo/apps/nats/values.yaml', 'nats: {}\n');
    put('repo/apps/nats/deployment.yaml', 'kind: Deployment\n');
    put('repo/apps/Chart.yaml', 'name: parent\n'); // not beside the file: another chart's
    put('repo/apps/app.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: Application\n');
    put('repo/helmfile.yaml', 'releases: []\n');
    put('outside/helmfile.yaml', 'releases: []\n'); // a sibling of the stop folder
    put('helmfile.yaml', 'releases: []\n'); // above the stop folder
    const { files, notes } = await collectPinFiles(
      join(dir, 'repo/apps/nats/values.yaml'),
      join(dir, 'repo'),
      nodePinFileSystem,
    );
    assert.deepEqual(names(files), [
      'repo/apps/app.yaml',
      'repo/apps/nats/Chart.lock',
      'repo/apps/nats/Chart.yaml',
      'repo/helmfile.yaml',
    ]);
    assert.deepEqual(notes, []);
  });

  it('reads at most so many files a folder and none over the size limit, and says so', async () => {
    for (let i = 0; i < 5; i++) put(`r/app-${i}.yaml`, 'apiVersion: argoproj.io/v1alpha1\n');
    put('r/helmfile.yaml', `releases: []\n#${'x'.repeat(400)}\n`);
    put('r/values.yaml', 'config: {}\n');
    const limits = { maxLevelsUp: 3, maxFilesPerFolder: 3, maxBytes: 200 };
    const { files, notes } = await collectPinFiles(
      join(dir, 'r/values.yaml'),
      join(dir, 'r'),
      nodePinFileSystem,
      limits,
    );
    assert.deepEqual(names(files), ['r/app-0.yaml', 'r/app-1.yaml']);
    assert.equal(notes.length, 2, notes.join('\n'));
    assert.match(notes[0] ?? '', /read the first 3 of 6 YAML files for chart pins/);
    assert.match(notes[1] ?? '', /helmfile\.yaml: not read for chart pins \(unreadable or over 200 bytes\)/);
  });

  it("a pin file name with control characters is escaped where the version's origin is shown (hover, lint's JSON)", () => {
    const app =
      'apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    chart: nats\n    targetRevision: 1.3.14\n    helm:\n      valueFiles: [envs/nats-values.yaml]\n';
    const a = analyzeValues('container:\n  resources: {}\n', {
      filePath: '/w/envs/nats-values.yaml',
      pinFiles: [{ path: '/w/\u001b[31mred/app.yaml', text: app }],
    });
    assert.equal(a.chartVersion.origin, 'chart 1.3.14 from ../\\u001b[31mred/app.yaml');
  });
});
