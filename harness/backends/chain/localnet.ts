import { missingTool } from '../errors.ts';
import { startSuiNodeProcess } from './node-process.ts';
import type { ChainHandle } from '../types.ts';
import { which } from '../which.ts';

export interface LocalnetOptions {
  suiBinary?: string;
  rpcPort?: number;
  faucetPort?: number;
  readyTimeoutMs?: number;
  /** Host the URLs point at; `sui start` listens on all interfaces of this machine. */
  host?: string;
}

export const LOCALNET_DEFAULT_RPC_PORT = 9000;
export const LOCALNET_DEFAULT_FAUCET_PORT = 9123;

/**
 * The exact `sui start` command line. Defaults stay implicit so the command matches the one in
 * the Sui docs; non-default ports are passed explicitly.
 */
export function localnetCommand(opts: LocalnetOptions = {}): { command: string; args: string[] } {
  const rpcPort = opts.rpcPort ?? LOCALNET_DEFAULT_RPC_PORT;
  const faucetPort = opts.faucetPort ?? LOCALNET_DEFAULT_FAUCET_PORT;
  const args = ['start'];
  args.push(
    faucetPort === LOCALNET_DEFAULT_FAUCET_PORT ? '--with-faucet' : `--with-faucet=0.0.0.0:${faucetPort}`,
  );
  args.push('--force-regenesis');
  if (rpcPort !== LOCALNET_DEFAULT_RPC_PORT) args.push('--fullnode-rpc-port', String(rpcPort));
  return { command: opts.suiBinary ?? 'sui', args };
}

/** Starts `sui start --with-faucet --force-regenesis` and waits for gRPC and the faucet to answer. */
export async function startLocalnetChain(opts: LocalnetOptions = {}): Promise<ChainHandle> {
  const { command, args } = localnetCommand(opts);
  const binary = command.includes('/') ? command : await which(command);
  if (!binary) throw missingTool('sui');
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host}:${opts.rpcPort ?? LOCALNET_DEFAULT_RPC_PORT}`;
  const faucetUrl = `http://${host}:${opts.faucetPort ?? LOCALNET_DEFAULT_FAUCET_PORT}`;

  const proc = await startSuiNodeProcess({
    name: 'sui start',
    piece: 'localnet (sui start)',
    command: binary,
    args,
    // RUST_LOG keeps the log readable; the node is very chatty at info level.
    env: { ...(process.env as Record<string, string>), RUST_LOG: process.env.RUST_LOG ?? 'warn,sui=info' },
    url,
    faucetUrl,
    readyTimeoutMs: opts.readyTimeoutMs ?? 120_000,
    intervalMs: 500,
  });
  return {
    kind: 'localnet',
    url,
    faucetUrl,
    fundedKeys: [],
    logs: () => proc.logs.text(),
    stop: () => proc.stop(),
  };
}
