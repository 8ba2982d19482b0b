/** sysexits(3) EX_USAGE: the command was used incorrectly. */
export const EX_USAGE = 64;

/** A mistake on the command line: rampart prints the message and the usage, and exits 64. */
export class UsageError extends Error {
  readonly code = 'CLI_ERR_USAGE';
  override readonly name = 'UsageError';
}
