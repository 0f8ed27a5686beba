/** The `k3s-daas` command line (commander). `--help` works on every command. */
import { Command, CommanderError } from 'commander';
import { CliError } from './context.ts';
import { gatewayCommand, nautilusCommand } from './commands/serve.ts';
import { clusterCommand } from './commands/admin.ts';
import { executorCommand } from './commands/executor.ts';
import { tokenCommand } from './commands/token.ts';
import { kubeconfigCommand, credentialCommand } from './commands/access.ts';
import { auditCommand } from './commands/audit.ts';

export function buildProgram(): Command {
  const program = new Command('k3s-daas')
    .description(
      'Kubernetes behind a Sui Move contract: every kubectl command is a checked, recorded on-chain call',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)');
  for (const c of [
    gatewayCommand(),
    nautilusCommand(),
    clusterCommand(),
    tokenCommand(),
    executorCommand(),
    kubeconfigCommand(),
    credentialCommand(),
    auditCommand(),
  ])
    program.addCommand(c);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
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
  // The Sui client's transport names the URL and the socket error (src/shared/grpc-web-fetch.ts).
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ETIMEDOUT/.test(err.message))
    return (
      `cannot reach the Sui full node: ${err.message}. ` +
      'Check --grpc-url (env K3S_DAAS_GRPC_URL) and that the node is running.'
    );
  return `${err.name}: ${err.message}`;
}
