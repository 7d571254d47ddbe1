import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { analyzeValues } from '../../../../src/core/values/analyzeValues';
import { migrateValues } from '../../../../src/core/values/migrateValues';
import { resolveFixEdits } from '../../../../src/core/values/valuesFixes';
import { chartValuesText } from './fixtures';

function legacyErrors(text: string): string[] {
  return analyzeValues(text)
    .diagnostics.filter(
      (d) =>
        d.code === 'legacy-chart-key' ||
        d.code === 'unknown-key' ||
        d.code === 'wrong-type' ||
        d.code === 'yaml-syntax',
    )
    .map((d) => `${d.code} ${d.path}`);
}

/** Migrates and checks the result lints clean, so every case below also proves the comments left valid YAML. */
function migrated(text: string): string {
  const out = migrateValues(text).text;
  assert.deepEqual(legacyErrors(out), [], out);
  return out;
}

describe("migrateValues keeps comments and the file's shape", () => {
  it('moves a comment above a removed 0.x block to the block it became (natsbox → natsBox)', () => {
    const out = migrated(
      'cluster:\n  enabled: true\n  replicas: 3\nnats:\n  jetstream:\n    enabled: true\n    fileStorage:\n      size: 20Gi\n# the box stays off\nnatsbox:\n  enabled: false\n',
    );
    assert.ok(out.includes('# the box stays off\nnatsBox:\n  enabled: false'), out);
    assert.ok(out.includes('config:\n  cluster:\n    enabled: true\n    replicas: 3'), out);
    assert.ok(out.endsWith('\n') && !out.endsWith('\n\n'), JSON.stringify(out));
  });

  it('keeps the banner at the top when the first key moves', () => {
    assert.ok(migrated('# my cluster\ncluster:\n  enabled: true\n').startsWith('# my cluster\n'));
    const out = migrated('# Values for prod\n# owner: team-a\nnats:\n  jetstream:\n    enabled: true\n');
    assert.ok(out.startsWith('# Values for prod\n# owner: team-a\nconfig:\n'), out);
    assert.equal((out.match(/# Values for prod/g) ?? []).length, 1);
  });

  it('a comment block separated from the banner by a blank line belongs to the key below it', () => {
    const out = migrated('# banner\n\n# the box\nnatsbox:\n  enabled: false\n');
    assert.ok(out.startsWith('# banner\n\n'), out);
    assert.ok(out.includes('# the box\nnatsBox:\n  enabled: false'), out);
  });

  it('moves comments inside removed blocks with the key they sit above, intermediate blocks included', () => {
    const out = migrated(
      'nats:\n  # JetStream settings\n  jetstream:  # section\n    # on for kine\n    enabled: true  # required\n  # name prefix\n  serverNamePrefix: east-\n',
    );
    assert.match(
      out,
      /\n {2}# JetStream settings\n {2}# section\n {2}jetstream:\n {4}# on for kine\n {4}enabled: true {2}# required\n/,
    );
    assert.match(out, /\n {2}# name prefix\n {2}serverNamePrefix: east-\n/);
  });

  it('copies a moved block value as written: nested comments, commented-out examples and quoting kept', () => {
    const out = migrated(
      'nats:\n  # server resources\n  resources:\n    # hard cap\n    limits:\n      memory: "4Gi"  # GOMEMLIMIT follows\n    # requests:\n    #   cpu: 1\n  jetstream:\n    enabled: true\n',
    );
    assert.ok(
      out.includes(
        'container:\n  # server resources\n  resources:\n    # hard cap\n    limits:\n      memory: "4Gi"  # GOMEMLIMIT follows\n    # requests:\n    #   cpu: 1\n',
      ),
      out,
    );
    assert.equal((out.match(/# requests:/g) ?? []).length, 1, 'a commented-out example is written once');
    assert.equal((parse(out) as any).container.resources.limits.memory, '4Gi');
  });

  it("puts a moved block's comment above its first new child when the target block is already in the file", () => {
    const out = migrated(
      'config:\n  cluster:\n    enabled: true\n# JetStream for kine\nnats:\n  jetstream:\n    enabled: true\n',
    );
    assert.match(
      out,
      /^config:\n {2}cluster:\n {4}enabled: true\n {2}# JetStream for kine\n {2}jetstream:\n {4}enabled: true\n/,
    );
  });

  it('keeps the final newline, or its absence, and CRLF line ends', () => {
    assert.ok(migrateValues('natsbox:\n  enabled: false\n').text.endsWith('false\n'));
    assert.ok(migrateValues('natsbox:\n  enabled: false').text.endsWith('false'));
    assert.ok(!migrateValues('natsbox:\n  enabled: false\n\n\n').text.endsWith('\n\n\n'));
    const crlf = migrateValues('# box\r\nnatsbox:\r\n  enabled: false\r\n').text;
    assert.equal(crlf, '# box\r\nnatsBox:\r\n  enabled: false\r\n');
  });

  it('the one-key fix carries the comments of the ancestors it removes', () => {
    const text = '# top\n\n# about nats\nnats:\n  # about JetStream\n  jetstream:\n    enabled: true\n';
    const d = analyzeValues(text).diagnostics.find((x) => x.path === 'nats.jetstream.enabled');
    assert.ok(d?.fix);
    const [edit] = resolveFixEdits(text, d.fix);
    assert.ok(edit);
    const fixed = text.slice(0, edit.range.startOffset) + edit.newText + text.slice(edit.range.endOffset);
    for (const c of ['# top', '# about nats', '# about JetStream']) assert.ok(fixed.includes(c), fixed);
    assert.ok(fixed.startsWith('# top\n'));
    assert.equal((parse(fixed) as any).config.jetstream.enabled, true);
  });

  it("keeps the comments of an umbrella chart's nested 0.x keys", () => {
    const out = migrated(
      'nats:\n  config:\n    cluster:\n      enabled: true\n  # no box here\n  natsbox:\n    enabled: false\n',
    );
    assert.ok(out.includes('  # no box here\n  natsBox:\n    enabled: false'), out);
  });

  it("keeps every comment of chart 0.19.17's values.yaml that sits above a key it carries", () => {
    const out = migrated(chartValuesText('0.19.17'));
    for (const c of [
      '#  NATS Server Configuration  #',
      '# Cluster Domain configured on the kubelets',
      '# Use below block to create new persistent volume',
      '#  Jetstream Memory Storage #',
    ]) {
      assert.ok(out.includes(c), c);
    }
    assert.ok(out.startsWith('###############################\n'));
  });
});

describe('migration retargets the file markers', () => {
  it('turns a 0.x version modeline and schema modeline into the 2.x ones, so linting reads the result as 2.x', () => {
    const input =
      '# nats-chart-version: 0.19.17\n# yaml-language-server: $schema=https://example.test/nats-values-0.x.schema.json\nnats:\n  jetstream:\n    enabled: true\n';
    const out = migrateValues(input).text;
    assert.match(
      out,
      /^# nats-chart-version: 2\.x\n# yaml-language-server: \$schema=https:\/\/example\.test\/nats-values\.schema\.json\n/,
    );
    const analysis = analyzeValues(out);
    assert.equal(analysis.chartVersion.layout, '2.x');
    assert.deepEqual(
      analysis.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });
});
