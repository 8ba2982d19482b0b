import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>;

/**
 * `util.parseArgs` in strict mode, with its errors turned into one-line UsageErrors
 * ("unknown option '--x'") instead of a TypeError with advice about `--`.
 */
export function parseOptions<const O extends Options>(args: readonly string[], options: O): Parsed<O> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('ERR_PARSE_ARGS_')) throw error;
    // "Unknown option '--x'. To specify a positional argument…" → "unknown option '--x'"
    const first = (error as Error).message.split(/\.(?:\s|$)/)[0] ?? code;
    throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1));
  }
}
