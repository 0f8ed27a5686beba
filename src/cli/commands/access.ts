/** `kubeconfig` (write a kubeconfig for an identity) and `credential` (kubectl exec credential plugin). */
import { Command } from 'commander';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { CliError } from '../errors.ts';
export { credentialCommand, execCredential } from './credential.ts';

export interface KubeconfigInput {
  server: string;
  caPem: string;
  user: string;
  /** bearer token, or omit to use the exec credential plugin */
  token?: string;
  /** exec plugin: command + args that print an ExecCredential */
  exec?: { command: string; args: string[]; env?: Array<{ name: string; value: string }> };
  cluster?: string;
}

export function buildKubeconfig(i: KubeconfigInput): string {
  const cluster = i.cluster ?? 'k3s-daas';
  const user: Record<string, unknown> = i.token
    ? { token: i.token }
    : {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1',
          command: i.exec!.command,
          args: i.exec!.args,
          env: i.exec!.env ?? null,
          interactiveMode: 'Never',
          provideClusterInfo: false,
        },
      };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster,
        cluster: { server: i.server, 'certificate-authority-data': Buffer.from(i.caPem).toString('base64') },
      },
    ],
    users: [{ name: i.user, user }],
    contexts: [{ name: `${i.user}@${cluster}`, context: { cluster, user: i.user, namespace: 'default' } }],
    'current-context': `${i.user}@${cluster}`,
    preferences: {},
  });
}

/**
 * The exec plugin as kubectl will run it, from any directory and with any PATH: this Node binary
 * and this CLI's entry script, both absolute (`npx k3s-daas` works only inside the repository, and
 * costs npm's start-up on every kubectl command).
 */
export function credentialExec(tokenFile: string): NonNullable<KubeconfigInput['exec']> {
  if (!isAbsolute(tokenFile)) throw new Error(`token file path must be absolute, got ${tokenFile}`);
  return { command: process.execPath, args: [cliEntry(), 'credential', '--token-file', tokenFile] };
}

/** bin/k3s-daas.js: named by the launcher itself (K3S_DAAS_CLI_BIN), or found from this source file. */
function cliEntry(): string {
  const fromLauncher = process.env.K3S_DAAS_CLI_BIN;
  if (fromLauncher && isAbsolute(fromLauncher)) return fromLauncher;
  const fromSource = fileURLToPath(new URL('../../../bin/k3s-daas.js', import.meta.url));
  if (existsSync(fromSource)) return fromSource;
  throw new CliError(
    'cannot tell where the k3s-daas CLI is installed; run this command through bin/k3s-daas.js (or the installed k3s-daas bin)',
  );
}

export function kubeconfigCommand(): Command {
  return new Command('kubeconfig')
    .description('Write a kubeconfig that points kubectl at the gateway as an identity')
    .requiredOption('--name <identity>', 'identity (kubeconfig user) name')
    .requiredOption('--server <url>', 'gateway URL, e.g. https://127.0.0.1:6443')
    .requiredOption('--ca <file>', 'CA certificate of the gateway (e.g. .k3s-daas/tls/ca.crt)')
    .option('--token <token>', 'bearer token (default: $K3S_DAAS_TOKEN)')
    .option(
      '--exec',
      'use "k3s-daas credential" as exec plugin instead of embedding the token (reads --token-file at run time; written as absolute paths of node and this CLI, so it works from any directory)',
    )
    .option('--token-file <file>', 'file holding the bearer token, for --exec')
    .option('-o, --out <file>', 'write here instead of stdout')
    .action(
      async (o: {
        name: string;
        server: string;
        ca: string;
        token?: string;
        exec?: boolean;
        tokenFile?: string;
        out?: string;
      }) => {
        let caPem: string;
        try {
          caPem = await readFile(o.ca, 'utf8');
        } catch {
          throw new CliError(
            `cannot read CA certificate ${o.ca}; the gateway writes it to <tls-dir>/ca.crt on first start`,
          );
        }
        if (!/^https:\/\//.test(o.server))
          throw new CliError(
            `--server must be an https:// URL (kubectl only sends bearer tokens over TLS), got ${o.server}`,
          );
        const input: KubeconfigInput = { server: o.server, caPem, user: o.name };
        if (o.exec) {
          if (!o.tokenFile) throw new CliError('--exec needs --token-file <file> holding the bearer token');
          input.exec = credentialExec(resolve(o.tokenFile));
        } else {
          const token = o.token ?? process.env.K3S_DAAS_TOKEN;
          if (!token)
            throw new CliError(
              'pass --token <bearer token> (or set K3S_DAAS_TOKEN), or use --exec --token-file <file>',
            );
          input.token = token;
        }
        const yaml = buildKubeconfig(input);
        if (o.out) {
          await mkdir(dirname(o.out), { recursive: true });
          await writeFile(o.out, yaml, { mode: 0o600 });
          process.stderr.write(`kubeconfig for "${o.name}" written to ${o.out}\n`);
        } else process.stdout.write(yaml);
      },
    );
}
