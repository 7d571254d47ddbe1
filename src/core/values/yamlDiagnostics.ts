// The parser's errors and warnings, and our own checks' (valuesYamlError.ts), as diagnostics in plain words: the
// yaml library's messages name its own API or internals in places ("please use YAML.parseAllDocuments()").
import type { Document, YAMLError } from 'yaml';
import { limitMessages } from './valuesLimits';
import { ValuesYamlError } from './valuesYamlError';
import type { LineIndex } from './textPositions';
import type { DiagnosticSeverity, ValuesDiagnostic, ValuesDiagnosticCode } from './valuesTypes';

function described(e: YAMLError): { code: ValuesDiagnosticCode; message: string } {
  if (e instanceof ValuesYamlError) return { code: e.diagnosticCode, message: e.message };
  switch (e.code) {
    case 'TAB_AS_INDENT':
      return { code: 'tab-indentation', message: 'A tab indents this line; YAML allows only spaces for indentation.' };
    // Our limits stop deep files before the library's recursion can overflow; this is the library catching one anyway.
    case 'RESOURCE_EXHAUSTION':
      return { code: 'limit-exceeded', message: limitMessages.tooDeep() };
    default: {
      const first = e.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? e.message;
      return { code: 'yaml-syntax', message: `YAML: ${first}.`.replace(/\.\.$/, '.') };
    }
  }
}

/** One diagnostic per parse error (severity error) and warning, on the text the parser pointed at. */
export function yamlDiagnostics(doc: Document, lines: LineIndex): ValuesDiagnostic[] {
  const out: ValuesDiagnostic[] = [];
  for (const [severity, list] of [
    ['error', doc.errors],
    ['warning', doc.warnings],
  ] as [DiagnosticSeverity, YAMLError[]][]) {
    for (const e of list) {
      const [s, end] = e.pos;
      out.push({ range: lines.range(s, Math.max(end, s + 1)), severity, path: '', ...described(e) });
    }
  }
  return out;
}
