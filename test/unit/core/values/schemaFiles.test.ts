import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { buildChartSchema } from '../../../../src/core/values/chartSchema';
import { buildLegacySchema } from '../../../../src/core/values/legacySchema';
import { buildLineSchema, type ChartLine, lineSchemaFile, lineVersions } from '../../../../src/core/values/lineSchemas';
import { CHART_SCHEMA_FILE, LEGACY_SCHEMA_FILE, schemaFileText } from '../../../../src/core/values/schemaFiles';
import { chartValuesText, repoRoot } from './fixtures';

function readSchema(file: string): object {
  return JSON.parse(readFileSync(join(repoRoot, 'schemas', file), 'utf8')) as object;
}

function validator(schema: object) {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  return ajv.compile(schema);
}

describe('values schemas (standalone JSON Schema files)', () => {
  it('schemas/ holds exactly what the TypeScript source builds (npm run gen:schemas after edits)', () => {
    assert.equal(
      readFileSync(join(repoRoot, 'schemas', CHART_SCHEMA_FILE), 'utf8'),
      schemaFileText(buildChartSchema()),
    );
    for (const line of ['0.x', '1.x', '2.x'] as ChartLine[])
      assert.equal(
        readFileSync(join(repoRoot, 'schemas', lineSchemaFile(line)), 'utf8'),
        schemaFileText(buildLineSchema(line)),
        line,
      );
    assert.equal(lineSchemaFile('0.x'), LEGACY_SCHEMA_FILE);
    assert.deepEqual(buildLineSchema('0.x').properties, buildLegacySchema().properties);
  });

  it('each chart line has its schema, naming the released versions it covers', () => {
    const shared = readdirSync(join(repoRoot, '..', 'shared', 'charts', 'values-by-version'))
      .map((n) => n.replace(/\.yaml$/, ''))
      .filter((v) => !v.includes('-'));
    for (const line of ['0.x', '1.x', '2.x'] as ChartLine[]) {
      const versions = lineVersions(line);
      assert.deepEqual([...versions].sort(), shared.filter((v) => v.startsWith(line.slice(0, 2))).sort(), line);
      const comment = (readSchema(lineSchemaFile(line)) as { $comment: string }).$comment;
      for (const v of versions) assert.ok(comment.includes(` ${v}`), `${line} names ${v}`);
    }
    assert.match(
      (readSchema(lineSchemaFile('1.x')) as { $comment: string }).$comment,
      /^Covers chart 1\.0\.0 to 1\.3\.16 \(46 versions/,
    );
  });

  it('the 1.x schema refuses what only 2.x charts have, and takes 1.3.16’s own values', () => {
    const one = validator(readSchema(lineSchemaFile('1.x')));
    const two = validator(readSchema(lineSchemaFile('2.x')));
    assert.equal(one(parse(chartValuesText('1.3.16'))), true, JSON.stringify(one.errors));
    assert.equal(two(parse(chartValuesText('2.14.2'))), true, JSON.stringify(two.errors));
    const noAdvertise = { config: { cluster: { noAdvertise: false } } };
    assert.equal(one(noAdvertise), false);
    assert.equal(two(noAdvertise), true);
  });

  for (const version of ['2.14.2', '1.3.16']) {
    it(`chart ${version}'s own values.yaml validates clean against nats-values.schema.json with ajv`, () => {
      const validate = validator(readSchema(CHART_SCHEMA_FILE));
      const ok = validate(parse(chartValuesText(version)));
      assert.equal(ok, true, JSON.stringify(validate.errors, null, 1));
    });
  }

  it("chart 0.19.17's own values.yaml validates clean against nats-values-0.x.schema.json with ajv", () => {
    const validate = validator(readSchema(LEGACY_SCHEMA_FILE));
    const ok = validate(parse(chartValuesText('0.19.17')));
    assert.equal(ok, true, JSON.stringify(validate.errors, null, 1));
  });

  it('the 0.x values.yaml against the 2.x schema fails on its legacy top-level keys', () => {
    const validate = validator(readSchema(CHART_SCHEMA_FILE));
    assert.equal(validate(parse(chartValuesText('0.19.17'))), false);
    const extra = new Set(
      (validate.errors ?? [])
        .filter((e) => e.keyword === 'additionalProperties' && e.instancePath === '')
        .map((e) => String(e.params['additionalProperty'])),
    );
    for (const key of ['nats', 'natsbox', 'cluster', 'exporter', 'auth', 'websocket', 'useFQDN', 'commonLabels'])
      assert.ok(extra.has(key), `${key} reported`);
  });

  it('a wrong type, a bad enum value and a misplaced key are refused by the 2.x schema', () => {
    const validate = validator(readSchema(CHART_SCHEMA_FILE));
    assert.equal(validate({ config: { jetstream: { enabled: 'yes' } } }), false);
    assert.equal(validate({ config: { websocket: { ingress: { pathType: 'Sometimes' } } } }), false);
    assert.equal(validate({ config: { cluster: { listen: '0.0.0.0:6222' } } }), false);
    assert.equal(
      validate({
        config: { merge: { anything: { goes: [1] } } },
        container: { env: { A: 'x', B: { valueFrom: {} } } },
      }),
      true,
    );
  });

  it('accepts patch operations and $tplYaml names where the chart does, and refuses a malformed patch', () => {
    const validate = validator(readSchema(CHART_SCHEMA_FILE));
    assert.equal(
      validate({
        statefulSet: {
          name: { $tplYaml: '{{ include "nats.fullname" $ }}' },
          patch: [
            { op: 'remove', path: '/spec/selector/matchLabels/app.kubernetes.io~1component' },
            { $tplYamlSpread: '- op: add' },
          ],
        },
      }),
      true,
      JSON.stringify(validate.errors),
    );
    assert.equal(validate({ container: { patch: [{ op: 'append', path: '/args/-', value: '-DV' }] } }), false);
    assert.equal(validate({ container: { patch: [{ op: 'add', path: 'args/-', value: '-DV' }] } }), false);
  });
});
