// The public surface of the values feature, for the VS Code layer and the CLI.
export { analyzeValues, DEFAULT_MAX_BYTES, type AnalyzeOptions } from './analyzeValues';
export {
  completeValues,
  type ValuesCompletion,
  type ValuesCompletionItem,
  type CompletionOptions,
} from './valuesCompletion';
export { hoverValues, type ValuesHover } from './valuesHover';
export { migrateValues, type MigrationResult, type NotCarried } from './migrateValues';
export { resolveFixEdits, minimalEdit } from './valuesFixes';
export {
  detectValuesFile,
  matchesValuesGlobs,
  resolveChartVersion,
  parseChartVersion,
  DEFAULT_VALUES_GLOBS,
  type ValuesDetection,
} from './detectValues';
export { CHART_SCHEMA_FILE, LEGACY_SCHEMA_FILE } from './schemaFiles';
export { LEGACY_KEY_RULES, type LegacyKeyRule } from './legacyKeys';
export * from './valuesTypes';
