import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** A command line the command cannot run: the message is one sentence, the caller adds the usage line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * `node:util` parseArgs, strict, with positionals: every CLI command parses its arguments through this. Unknown
 * options and missing or unwanted values throw `UsageError` with one sentence naming the option, instead of Node's
 * multi-line text.
 */
export function parseCliArgs<const O extends OptionsConfig>(args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(usageSentence(err));
  }
}

function usageSentence(err: unknown): string {
  const { code, message = '' } = err as { code?: string; message?: string };
  // Node names the option as '--name', '-o, --output <value>' or '--name <value>'.
  const named = /'(-\w)?(?:, )?(--[\w-]+)?/.exec(message);
  const option = named?.[1] && named[2] ? `${named[1]} (${named[2]})` : (named?.[2] ?? named?.[1] ?? 'an option');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return `unknown option '${/^Unknown option '([^']*)'/.exec(message)?.[1] ?? option}'.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/does not take an argument/.test(message)) return `${option} takes no value.`;
    if (/ambiguous/.test(message))
      return `${option} needs a value (write ${named?.[2] ?? option}=VALUE for one that starts with '-').`;
    return `${option} needs a value.`;
  }
  return `${message.split('\n')[0]}.`;
}
