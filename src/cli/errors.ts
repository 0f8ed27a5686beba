/** A failure the user can fix: its message says what was wrong and what to do (no stack trace). */
export class CliError extends Error {
  override name = 'CliError';
}
