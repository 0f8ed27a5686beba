/** The full `k3s-daas` program (commander): every command, `--help` on each. main.ts loads it on use. */
import { Command } from 'commander';
import { gatewayCommand } from './commands/serve.ts';
import { nautilusCommand } from './commands/nautilus.ts';
import { clusterCommand } from './commands/admin.ts';
import { executorCommand } from './commands/executor.ts';
import { tokenCommand } from './commands/token.ts';
import { identityCommand } from './commands/identity.ts';
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
    identityCommand(),
    executorCommand(),
    kubeconfigCommand(),
    credentialCommand(),
    auditCommand(),
  ])
    program.addCommand(c);
  return program;
}
