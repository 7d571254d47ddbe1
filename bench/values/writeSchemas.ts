// Writes schemas/nats-values.schema.json and schemas/nats-values-0.x.schema.json from their TypeScript source.
// Run after editing src/core/values/chartSchema.ts or legacySchema.ts:
//   node scripts/build.mjs && node out/bench/values/writeSchemas.js
// A unit test fails when the files and the source disagree.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChartSchema } from '../../src/core/values/chartSchema';
import { buildLegacySchema } from '../../src/core/values/legacySchema';
import { schemaFileText } from '../../src/core/values/schemaFiles';

const root = join(__dirname, '..', '..', '..');
for (const [file, schema] of [
  ['nats-values.schema.json', buildChartSchema()],
  ['nats-values-0.x.schema.json', buildLegacySchema()],
] as const) {
  writeFileSync(join(root, 'schemas', file), schemaFileText(schema));
  process.stdout.write(`wrote schemas/${file}\n`);
}
