// The yaml library's lexer and CST parser driven one token at a time, so a file that nests too deep or holds too
// many nodes is stopped where it crosses the limit: the work done is linear in the part read, and no deep CST is ever
// handed to the (recursive) composer.
import { CST, Lexer, Parser } from 'yaml';
import { limitMessages, VALUES_LIMITS, type ValuesLimits } from './valuesLimits';
import { ValuesYamlError } from './valuesYamlError';

// Lexemes that are not tokens in the limit's sense: layout, comments and the lexer's own markers.
const NOT_COUNTED = new Set(['space', 'newline', 'comment', 'doc-mode', 'byte-order-mark']);

/** The CST tokens of `text`, or the limit it crossed (depth or token count) at the offset where it crossed it. */
export function boundedTokens(text: string, limits: ValuesLimits = VALUES_LIMITS): CST.Token[] | ValuesYamlError {
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  let counted = 0;
  // The lexeme after a scalar marker is the scalar's own text, whatever character it starts with.
  let scalarText = false;
  for (const lexeme of new Lexer().lex(text)) {
    const at: [number, number] = [parser.offset, parser.offset + 1];
    if (scalarText) scalarText = false;
    else {
      const type = CST.tokenType(lexeme);
      if (type === 'scalar') scalarText = true;
      if (!(type && NOT_COUNTED.has(type)) && ++counted > limits.maxTokens)
        return new ValuesYamlError(at, 'RESOURCE_EXHAUSTION', 'limit-exceeded', limitMessages.tooManyTokens(limits));
    }
    for (const token of parser.next(lexeme)) tokens.push(token);
    // The parser's stack holds the document, the open collections and at most one unfinished scalar.
    if (parser.stack.length > limits.maxDepth + 2)
      return new ValuesYamlError(at, 'RESOURCE_EXHAUSTION', 'limit-exceeded', limitMessages.tooDeep(limits));
  }
  for (const token of parser.end()) tokens.push(token);
  return tokens;
}
