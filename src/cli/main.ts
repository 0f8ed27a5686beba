/**
 * The `k3s-daas` command line. The full program (program.ts) loads the Sui SDK and more (~0.5 s);
 * `k3s-daas credential`, which kubectl runs before every command, is built alone from a module
 * that loads only commander, so it answers in about the time Node takes to start; `k3s-daas
 * nautilus` is built alone too (a listener restart is on the clock of the claim lease).
 */
import { Command, CommanderError } from 'commander';
import { CliError } from './errors.ts';
import { credentialCommand } from './commands/credential.ts';

/** The subcommand argv asks for (the first argument that is not an option). */
function subcommand(argv: string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

async function programFor(argv: string[]): Promise<Command> {
  if (subcommand(argv) === 'credential') return new Command('k3s-daas').addCommand(credentialCommand());
  // A restarted listener must claim again well inside the claim lease: load its command alone.
  if (subcommand(argv) === 'nautilus') {
    const { nautilusCommand } = await import('./commands/nautilus.ts');
    return new Command('k3s-daas').addCommand(nautilusCommand());
  }
  const { buildProgram } = await import('./program.ts');
  return buildProgram();
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = await programFor(argv);
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    process.stderr.write(`k3s-daas: ${describeFailure(e)}\n`);
    process.exitCode = 1;
  }
}

/** The message a user sees for a failed command: what went wrong and, where known, what to do. */
export function describeFailure(e: unknown): string {
  if (e instanceof CliError) return e.message;
  const err = e instanceof Error ? e : new Error(String(e));
  // The Sui client's transport names the URL and the socket error (src/sui/grpc-web-fetch.ts).
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT/.test(err.message))
    return (
      `cannot reach the Sui full node: ${err.message}. ` +
      'Check --grpc-url (env K3S_DAAS_GRPC_URL) and that the node is running.'
    );
  return `${err.name}: ${err.message}`;
}
