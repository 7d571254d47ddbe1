// Writes the values schemas in schemas/ from their TypeScript source and the chart key data: one per chart line
// (nats-values-0.x/1.x/2.x.schema.json, each naming the versions it covers) and nats-values.schema.json (1.x and 2.x
// together, the one the extension contributes). Run after editing chartSchema.ts or legacySchema.ts, or after
// npm run gen:chart-versions: npm run gen:schemas. A unit test fails when the files and the source disagree.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildChartSchema } from '../../src/core/values/chartSchema';
import { buildLineSchema, type ChartLine, lineSchemaFile } from '../../src/core/values/lineSchemas';
import { CHART_SCHEMA_FILE, schemaFileText } from '../../src/core/values/schemaFiles';

const root = join(__dirname, '..', '..', '..');
const lines: ChartLine[] = ['0.x', '1.x', '2.x'];
for (const [file, schema] of [
  [CHART_SCHEMA_FILE, buildChartSchema()],
  ...lines.map((line) => [lineSchemaFile(line), buildLineSchema(line)] as const),
] as const) {
  writeFileSync(join(root, 'schemas', file), schemaFileText(schema));
  process.stdout.write(`wrote schemas/${file}\n`);
}
