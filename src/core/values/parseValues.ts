// The one way values text becomes a YAML document: bounded (valuesLimits.ts), linear in the text's size, and with
// every problem Helm would have with the file in the document's `errors`.
import { Composer, Document, isScalar } from 'yaml';
import { aliasProblems } from './anchorIndex';
import { boundedTokens } from './boundedTokens';
import { keyProblems } from './keyChecks';
import { limitMessages, VALUES_LIMITS, type ValuesLimits } from './valuesLimits';
import { ValuesYamlError } from './valuesYamlError';

/**
 * Helm reads values as YAML 1.1 (`yes` is a boolean, `<<` merges). Duplicate keys are found by keyChecks.ts in
 * linear time, not by the library's quadratic `uniqueKeys`.
 */
export const PARSE_OPTIONS = {
  version: '1.1',
  merge: true,
  uniqueKeys: false,
  prettyErrors: false,
  keepSourceTokens: false,
} as const;

/** False for an empty document, as a trailing `---` makes. */
function holdsValues(doc: Document): boolean {
  const contents = doc.contents;
  return contents !== null && !(isScalar(contents) && contents.value === null && contents.source === '');
}

/** An empty document whose one error says which limit the text crossed. */
function refused(error: ValuesYamlError): Document {
  const doc = new Document(undefined, PARSE_OPTIONS);
  doc.errors.push(error);
  return doc;
}

function aliasErrors(doc: Document): ValuesYamlError[] {
  return aliasProblems(doc).map(({ alias, kind }) => {
    const range: [number, number] = alias.range ? [alias.range[0], alias.range[1]] : [0, 1];
    return kind === 'undefined'
      ? new ValuesYamlError(
          range,
          'BAD_ALIAS',
          'undefined-alias',
          `No anchor \`&${alias.source}\` is defined above this alias; Helm refuses the file ("unknown anchor").`,
        )
      : new ValuesYamlError(
          range,
          'BAD_ALIAS',
          'undefined-alias',
          `The alias \`*${alias.source}\` sits inside the value its anchor names, so it would contain itself; Helm refuses the file.`,
        );
  });
}

/**
 * Parses values text as Helm reads it. Never throws and never takes more than linear time: text over a limit gives
 * an empty document with one `file-too-large` or `limit-exceeded` error. Lone CR line breaks must already be line feeds (lineBreaks.ts).
 */
export function parseValues(text: string, limits: ValuesLimits = VALUES_LIMITS): Document {
  if (text.length > limits.maxBytes)
    return refused(
      new ValuesYamlError([0, 1], 'RESOURCE_EXHAUSTION', 'file-too-large', limitMessages.tooLarge(text.length, limits)),
    );
  const tokens = boundedTokens(text, limits);
  if (tokens instanceof ValuesYamlError) return refused(tokens);
  let first: Document | undefined;
  const later: number[] = [];
  // Each parse error is an Error; their stack traces are never read, and capturing them was most of the cost of a
  // file of stray tokens. The composer runs synchronously, so nothing else sees the lowered limit.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    for (const doc of new Composer(PARSE_OPTIONS).compose(tokens, true, text.length)) {
      if (!first) first = doc;
      else if (holdsValues(doc)) later.push(doc.range[0]);
    }
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const doc = first as Document;
  if (later.length > 0) {
    const at = later[0] as number;
    doc.errors.push(
      new ValuesYamlError(
        [at, at + 1],
        'MULTIPLE_DOCS',
        'multiple-documents',
        `This file holds ${later.length + 1} YAML documents (separated by \`---\`): helm 3 reads only the first and helm 4 merges them, so keep all values in one document.`,
      ),
    );
  }
  doc.errors.push(...keyProblems(doc), ...aliasErrors(doc));
  return doc;
}
