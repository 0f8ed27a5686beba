/** The `k3s-daas` command line (commander). `--help` works on every command. */
import { Command, CommanderError } from 'commander';
import { CliError } from './context.ts';
import { gatewayCommand, nautilusCommand } from './commands/serve.ts';
import { clusterCommand, executorCommand } from './commands/admin.ts';
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
    const msg = e instanceof CliError ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
    process.stderr.write(`k3s-daas: ${msg}\n`);
    process.exitCode = 1;
  }
}
