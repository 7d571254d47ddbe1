import type { JsonSchema } from './schemaBuilders';

/** The file names the schemas ship under in `schemas/` (and that a modeline may name). */
export const CHART_SCHEMA_FILE = 'nats-values.schema.json';
export const LEGACY_SCHEMA_FILE = 'nats-values-0.x.schema.json';

/** Serialises a schema exactly as it is stored in `schemas/`, so a test can compare the two byte for byte. */
export function schemaFileText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
