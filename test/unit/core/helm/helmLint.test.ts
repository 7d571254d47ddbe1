import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localChartVersion } from '../../../../src/core/helm/helmClient';
import { lintSummary, parseLintOutput } from '../../../../src/core/helm/helmOutput';
import { repoRoot } from '../../../harness/tools';

// stdout of the real helm 3.22 and 4.3 for `helm lint nats-2.14.2 --values=v.yaml` where v.yaml holds `config: {jetstream: true}`
// (helm 3's one line is cut in the middle here; it quotes whole templates).
const HELM3 = [
  '==> Linting /charts/nats-2.14.2',
  '[ERROR] templates/: template: nats/templates/tests/request-reply.yaml:1:4: executing "nats/templates/tests/request-reply.yaml" at <include "nats.defaultValues" .>: error calling include: template: nats/templates/_helpers.tpl:56:25: executing "nats.defaultValues" at <.config.jetstream.fileStore.pvc>: can\'t evaluate field fileStore in type interface {}',
  '',
  '1 chart(s) linted, 1 chart(s) failed',
].join('\n');
const HELM4 = [
  '==> Linting /charts/nats-2.14.2',
  '[INFO] Chart.yaml: icon is recommended',
  '[ERROR] templates/: nats/templates/tests/request-reply.yaml:1:4',
  '  executing "nats/templates/tests/request-reply.yaml" at <include "nats.defaultValues" .>:',
  '    error calling include:',
  'nats/templates/_helpers.tpl:56:25',
  '  executing "nats.defaultValues" at <.config.jetstream.fileStore.pvc>:',
  "    can't evaluate field fileStore in type interface {}",
  '',
  '1 chart(s) linted, 1 chart(s) failed',
].join('\n');

describe('helm lint output', () => {
  it('reads helm 3’s one-line problems', () => {
    const [problem, ...rest] = parseLintOutput(HELM3);
    assert.deepEqual(rest, []);
    assert.equal(problem?.severity, 'error');
    assert.equal(problem?.path, 'templates/');
    assert.match(problem!.message, /^template: nats\/templates\/tests\/request-reply\.yaml:1:4: executing/);
    assert.equal(lintSummary(problem!), "can't evaluate field fileStore in type interface {}");
  });

  it('reads helm 4’s problems spread over several lines, each with its level', () => {
    const problems = parseLintOutput(HELM4);
    assert.deepEqual(
      problems.map((p) => [p.severity, p.path, p.message.split('\n').length]),
      [
        ['info', 'Chart.yaml', 1],
        ['error', 'templates/', 6],
      ],
    );
    assert.equal(problems[0]!.message, 'icon is recommended');
    assert.equal(lintSummary(problems[1]!), "can't evaluate field fileStore in type interface {}");
  });

  it('a clean lint has no problems; a folder that is no chart is one error', () => {
    assert.deepEqual(parseLintOutput('==> Linting /charts/nats-2.14.2\n\n1 chart(s) linted, 0 chart(s) failed'), []);
    assert.deepEqual(
      parseLintOutput(
        '==> Linting /srv\nError unable to check Chart.yaml file in chart: stat /srv/Chart.yaml: no such file or directory\n',
      ),
      [
        {
          severity: 'error',
          path: '',
          message: 'unable to check Chart.yaml file in chart: stat /srv/Chart.yaml: no such file or directory',
        },
      ],
    );
  });

  it('keeps a summary short', () => {
    assert.equal(lintSummary({ severity: 'error', path: 'templates/', message: 'x'.repeat(500) }).length, 200);
  });
});

describe('the version of a local chart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nats-k3s-chart-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('comes from a folder’s Chart.yaml', () => {
    for (const v of ['2.14.2', '1.3.16', '0.19.17'])
      assert.equal(localChartVersion(join(repoRoot, '..', 'shared', 'charts', `nats-${v}`)), v);
    writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: nats\n');
    assert.equal(localChartVersion(dir), undefined);
  });

  it('comes from a packaged chart’s file name, as helm package names it', () => {
    for (const [name, version] of [
      ['nats-2.14.2.tgz', '2.14.2'],
      ['nats-1.0.0-rc.1.tgz', '1.0.0-rc.1'],
      ['nats-1.3.16.tar.gz', '1.3.16'],
      ['my-nats.tgz', undefined],
    ] as const) {
      writeFileSync(join(dir, name), '');
      assert.equal(localChartVersion(join(dir, name)), version, name);
    }
  });
});
