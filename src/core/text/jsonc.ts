import { type ParseError, parse } from 'jsonc-parser';

/**
 * Parses JSON with comments and trailing commas, as VS Code writes settings.json and .code-workspace files (with
 * jsonc-parser, VS Code's own). Resolves undefined for text that is not such JSON (VS Code ignores a broken settings
 * file too); the parser itself would return what it could read of it.
 */
export function parseJsonc(text: string): unknown {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length === 0 ? value : undefined;
}
