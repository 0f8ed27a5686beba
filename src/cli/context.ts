/**
 * Options shared by every k3s-daas command, resolved from flags, then
 * environment variables, then defaults. Errors name the missing setting and
 * how to provide it.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { createSuiClient, type SuiNetworkName } from '../sui/client.ts';
import { Keystore, normalizeAddress } from '../sui/keystore.ts';
import { TxRunner } from '../sui/tx-runner.ts';
import { CliError } from './errors.ts';

// Its own module so that light commands (the kubectl credential plugin) load without the Sui SDK.
export { CliError } from './errors.ts';

export interface GlobalOptions {
  grpcUrl?: string;
  network?: SuiNetworkName;
  package?: string;
  cluster?: string;
  keystore?: string;
  identities?: string;
  signer?: string;
  json?: boolean;
}

export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--grpc-url <url>', 'Sui full node gRPC(-web) URL [env K3S_DAAS_GRPC_URL]')
    .option('--network <name>', 'Sui network name: localnet|devnet|testnet|mainnet [env K3S_DAAS_NETWORK]')
    .option('--package <id>', 'k8s_gateway package ID [env K3S_DAAS_PACKAGE]')
    .option('--cluster <id>', 'Cluster object ID [env K3S_DAAS_CLUSTER]')
    .option(
      '--keystore <file>',
      "keystore of the signer (sui.keystore format) [env K3S_DAAS_KEYSTORE, default ~/.k3s-daas/sui.keystore; never the Sui CLI's unless you pass ~/.sui/sui_config/sui.keystore]; `gateway` uses its own: [env K3S_DAAS_GATEWAY_KEYSTORE, default ~/.k3s-daas/gateway/sui.keystore]",
    )
    .option(
      '--identities <file>',
      'gateway identities file (token hashes) [env K3S_DAAS_IDENTITIES, default ./.k3s-daas/identities.json]',
    )
    .option(
      '--signer <address>',
      'address whose key signs (default: the only/first key in the keystore) [env K3S_DAAS_SIGNER]',
    );
}

/** k3s-daas's own keystore for the signer of admin and user commands. */
export function defaultKeystorePath(): string {
  return join(homedir(), '.k3s-daas', 'sui.keystore');
}

/**
 * The per-user gateway's keystore (K3S_DAAS_GATEWAY_KEYSTORE, else ~/.k3s-daas/gateway/sui.keystore):
 * where `token issue --new-key` puts a new user key, and the file a listener must never use.
 */
export function defaultGatewayKeystorePath(): string {
  return process.env.K3S_DAAS_GATEWAY_KEYSTORE ?? join(homedir(), '.k3s-daas', 'gateway', 'sui.keystore');
}

export class CliContext {
  constructor(readonly o: GlobalOptions) {}

  static from(cmd: Command): CliContext {
    return new CliContext(cmd.optsWithGlobals<GlobalOptions>());
  }

  private need(value: string | undefined, flag: string, env: string): string {
    if (!value) throw new CliError(`missing ${flag}: pass ${flag} or set ${env}`);
    return value;
  }

  get grpcUrl(): string {
    return this.need(this.o.grpcUrl ?? process.env.K3S_DAAS_GRPC_URL, '--grpc-url', 'K3S_DAAS_GRPC_URL');
  }
  get network(): SuiNetworkName {
    const n = this.o.network ?? process.env.K3S_DAAS_NETWORK ?? 'localnet';
    if (!['mainnet', 'testnet', 'devnet', 'localnet'].includes(n))
      throw new CliError(`--network must be localnet, devnet, testnet or mainnet (got "${n}")`);
    return n as SuiNetworkName;
  }
  get packageId(): string {
    return normalizeAddress(
      this.need(this.o.package ?? process.env.K3S_DAAS_PACKAGE, '--package', 'K3S_DAAS_PACKAGE'),
    );
  }
  get clusterId(): string {
    return normalizeAddress(
      this.need(this.o.cluster ?? process.env.K3S_DAAS_CLUSTER, '--cluster', 'K3S_DAAS_CLUSTER'),
    );
  }
  /**
   * The signer's keystore. The default is k3s-daas's own file, never the Sui CLI's
   * (`~/.sui/sui_config/sui.keystore` holds every key of its operator): pass that path to use it.
   */
  get keystorePath(): string {
    return this.o.keystore ?? process.env.K3S_DAAS_KEYSTORE ?? defaultKeystorePath();
  }
  /** The gateway's keystore: `--keystore`, else its own file (K3S_DAAS_KEYSTORE is the admin's, not the gateway's). */
  get gatewayKeystorePath(): string {
    return this.o.keystore ?? defaultGatewayKeystorePath();
  }
  get identitiesPath(): string {
    return this.o.identities ?? process.env.K3S_DAAS_IDENTITIES ?? join('.k3s-daas', 'identities.json');
  }

  private clientCache?: SuiGrpcClient;
  client(): SuiGrpcClient {
    return (this.clientCache ??= createSuiClient(this.grpcUrl, this.network));
  }

  async keystore(path = this.keystorePath): Promise<Keystore> {
    if (path === defaultKeystorePath() && !existsSync(path))
      throw new CliError(
        `no keystore at ${path} (the default): pass --keystore <file> or set K3S_DAAS_KEYSTORE, e.g. --keystore ~/.sui/sui_config/sui.keystore to sign with the Sui CLI's keys`,
      );
    return Keystore.load(path);
  }

  /** TxRunner for --signer (or the keystore's only/first key). */
  async runner(address?: string): Promise<TxRunner> {
    const ks = await this.keystore();
    const wanted = address ?? this.o.signer ?? process.env.K3S_DAAS_SIGNER;
    let signer;
    if (wanted) signer = ks.require(wanted);
    else {
      const first = ks.addresses[0];
      if (!first)
        throw new CliError(
          `keystore ${this.keystorePath} has no keys; create one with "sui client new-address ed25519" or pass --keystore`,
        );
      signer = ks.require(first);
    }
    return new TxRunner(this.client(), signer);
  }
}

export function parseSui(amount: string, what: string): bigint {
  // Accepts MIST integers ("1000000000") or SUI with a unit ("1.5sui").
  const m = /^(\d+)(?:\.(\d{1,9}))?\s*(sui|mist)?$/i.exec(amount.trim());
  if (!m) throw new CliError(`${what} must be an amount like 1000000000 (MIST) or 1.5sui, got "${amount}"`);
  const unit = (m[3] ?? (m[2] ? 'sui' : 'mist')).toLowerCase();
  if (unit === 'mist') {
    if (m[2]) throw new CliError(`${what}: MIST amounts are whole numbers`);
    return BigInt(m[1]!);
  }
  return BigInt(m[1]!) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

export function parseDuration(text: string, what: string): number {
  // A bare number is seconds.
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m)
    throw new CliError(`${what} must be a duration like 30 (seconds), 30s, 15m, 24h or 7d, got "${text}"`);
  const n = Number(m[1]);
  const mult = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    (m[2] ?? 's') as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return n * mult;
}

export function print(json: boolean | undefined, value: unknown, human: () => string): void {
  process.stdout.write(
    (json
      ? JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)
      : human()) + '\n',
  );
}
