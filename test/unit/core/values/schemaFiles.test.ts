import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { buildChartSchema } from '../../../../src/core/values/chartSchema';
import { buildLegacySchema } from '../../../../src/core/values/legacySchema';
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
  it('schemas/ holds exactly what the TypeScript source builds (run out/bench/values/writeSchemas.js after edits)', () => {
    assert.equal(
      readFileSync(join(repoRoot, 'schemas', CHART_SCHEMA_FILE), 'utf8'),
      schemaFileText(buildChartSchema()),
    );
    assert.equal(
      readFileSync(join(repoRoot, 'schemas', LEGACY_SCHEMA_FILE), 'utf8'),
      schemaFileText(buildLegacySchema()),
    );
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
