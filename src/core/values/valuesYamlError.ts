// A YAML problem found by our own checks, kept in the document's `errors` beside the parser's so that every reader
// of a parse (analysis, migration, the incremental parse) sees it; it carries the diagnostic it becomes.
import { YAMLParseError, type ErrorCode } from 'yaml';
import type { ValuesDiagnosticCode } from './valuesTypes';

export class ValuesYamlError extends YAMLParseError {
  constructor(
    pos: [number, number],
    yamlCode: ErrorCode,
    readonly diagnosticCode: ValuesDiagnosticCode,
    message: string,
  ) {
    super(pos, yamlCode, message);
  }
}
