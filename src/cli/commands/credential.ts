/**
 * `k3s-daas credential`: the kubectl exec credential plugin. kubectl runs it once per command
 * (client-go caches an ExecCredential only in the memory of one process), so it must start fast:
 * this module loads nothing but commander and node:fs — no Sui SDK, no Kubernetes client — and
 * main.ts builds a program of this command alone when it is the one asked for.
 */
import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { CliError } from '../errors.ts';

/** Default lifetime kubectl is told the credential has: within it, a long-running client (a watch) reuses it. */
export const DEFAULT_CREDENTIAL_TTL_S = 3_600;

/** ExecCredential (client.authentication.k8s.io/v1) that kubectl reads from the plugin's stdout. */
export function execCredential(token: string, expiresAt?: Date): Record<string, unknown> {
  const status: Record<string, string> = { token };
  if (expiresAt) status.expirationTimestamp = expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status };
}

export function credentialCommand(): Command {
  return new Command('credential')
    .description(
      'kubectl exec credential plugin: prints an ExecCredential (client.authentication.k8s.io/v1) with the bearer token',
    )
    .option('--token-file <file>', 'file holding the bearer token')
    .option('--token-env <name>', 'environment variable holding the bearer token', 'K3S_DAAS_TOKEN')
    .option(
      '--ttl <seconds>',
      'expirationTimestamp = now + this; kubectl re-runs the plugin after it (0: no expiry)',
      String(DEFAULT_CREDENTIAL_TTL_S),
    )
    .action(async (o: { tokenFile?: string; tokenEnv: string; ttl: string }) => {
      let token: string | undefined;
      if (o.tokenFile) {
        try {
          token = (await readFile(o.tokenFile, 'utf8')).trim();
        } catch (e) {
          throw new CliError(
            `cannot read token file ${o.tokenFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); write the bearer token that "k3s-daas token issue" printed into it`,
          );
        }
      } else token = process.env[o.tokenEnv];
      if (!token) throw new CliError(`no bearer token: pass --token-file <file> or set ${o.tokenEnv}`);
      const ttl = Number(o.ttl);
      if (!Number.isFinite(ttl) || ttl < 0)
        throw new CliError(`--ttl must be a number of seconds ≥ 0, got "${o.ttl}"`);
      process.stdout.write(
        JSON.stringify(execCredential(token, ttl > 0 ? new Date(Date.now() + ttl * 1000) : undefined)) + '\n',
      );
    });
}
