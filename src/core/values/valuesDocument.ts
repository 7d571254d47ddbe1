// A values text read once for everything that needs it (analysis, migration): the parsed document, every problem
// Helm would have reading it, and the plain data it holds.
import { Document } from 'yaml';
import { parseValuesIncremental } from './incrementalParse';
import { withLineFeeds } from './lineBreaks';
import { PARSE_OPTIONS, parseValues } from './parseValues';
import { LineIndex } from './textPositions';
import { AliasExpansionError, plainValue } from './valuesData';
import { limitMessages, VALUES_LIMITS, type ValuesLimits } from './valuesLimits';
import type { ValuesDiagnostic } from './valuesTypes';
import { yamlDiagnostics } from './yamlDiagnostics';

export interface ValuesDocument {
  /** The text as parsed: lone CRs read as the line breaks they are (offsets unchanged). */
  text: string;
  lines: LineIndex;
  /** Empty when the text was not parsed (too large, binary, over a limit). */
  doc: Document;
  /** What keeps Helm from reading the file as written: size, binary bytes, YAML errors, alias bombs; warnings too. */
  problems: ValuesDiagnostic[];
  /** The data Helm reads (aliases and merges applied); undefined when aliases expand too far. */
  values: unknown;
}

export interface ReadOptions {
  limits?: ValuesLimits;
  /** Reuse the previous parse when one scalar changed (while typing); the document then belongs to the parse cache. */
  incremental?: boolean;
}

const BINARY = /[\u0000-\u0008\u000E-\u001F\uFFFD]/;

/** An error about the whole file, shown on the character where it shows first. */
function fileProblem(lines: LineIndex, code: ValuesDiagnostic['code'], message: string, at: number): ValuesDiagnostic {
  return { range: lines.range(at, at + 1), severity: 'error', code, path: '', message };
}

/** Reads values text; never throws, and takes time linear in the text's length up to the limits. */
export function readValuesDocument(input: string, options: ReadOptions = {}): ValuesDocument {
  const limits = options.limits ?? VALUES_LIMITS;
  const text = withLineFeeds(input);
  const lines = new LineIndex(text);
  const unread = (problem: ValuesDiagnostic): ValuesDocument => ({
    text,
    lines,
    doc: new Document(undefined, PARSE_OPTIONS),
    problems: [problem],
    values: undefined,
  });
  // Before the size limit (in parseValues): a large binary file is named for what it is.
  const binary = BINARY.exec(text);
  if (binary) {
    const at = lines.position(binary.index);
    return unread(
      fileProblem(
        lines,
        'binary-content',
        `The file holds binary bytes (first at line ${at.line + 1}, column ${at.character + 1}); it is not YAML text.`,
        binary.index,
      ),
    );
  }
  const doc = options.incremental ? parseValuesIncremental(text) : parseValues(text, limits);
  const problems = yamlDiagnostics(doc, lines);
  let values: unknown;
  try {
    values = plainValue(doc, doc.contents, limits);
  } catch (err) {
    if (!(err instanceof AliasExpansionError)) throw err;
    problems.push(fileProblem(lines, 'limit-exceeded', limitMessages.aliasBomb(limits), err.offset));
  }
  return { text, lines, doc, problems, values };
}
