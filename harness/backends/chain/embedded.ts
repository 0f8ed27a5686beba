import { fileURLToPath } from 'node:url';
import { loadEntryPoint } from '../load-module.ts';
import { EMBEDDED_SUI_PIECE } from '../pieces.ts';
import { freePortOnLoopback } from '../ports.ts';
import { startSuiNodeProcess } from './node-process.ts';
import type { ChainHandle } from '../types.ts';

/** The shape this harness relies on from harness/embedded/sui (its public entry point). */
export interface EmbeddedSuiInstance {
  url: string;
  faucetUrl?: string;
  accounts?: ReadonlyArray<unknown>;
  stop(): Promise<void>;
  snapshot?(): Promise<string> | string;
  revert?(id: string): Promise<void> | void;
}
export type StartEmbeddedSui = (opts?: Record<string, unknown>) => Promise<EmbeddedSuiInstance>;

export { EMBEDDED_SUI_PIECE };

export function loadEmbeddedSui(): Promise<StartEmbeddedSui> {
  return loadEntryPoint<StartEmbeddedSui>(
    EMBEDDED_SUI_PIECE,
    import.meta.url,
    '../../embedded/sui/index.ts',
    'startEmbeddedSui',
  );
}

/** Pulls `suiprivkey…` strings out of whatever account records the embedded node hands back. */
export function secretKeysOf(accounts: ReadonlyArray<unknown> | undefined): string[] {
  const keys: string[] = [];
  for (const a of accounts ?? []) {
    if (typeof a === 'string' && a.startsWith('suiprivkey')) keys.push(a);
    else if (a && typeof a === 'object') {
      const rec = a as Record<string, unknown>;
      for (const field of ['secretKey', 'privateKey', 'key']) {
        const v = rec[field];
        if (typeof v === 'string' && v.startsWith('suiprivkey')) keys.push(v);
      }
      const kp = rec.keypair as { getSecretKey?: () => string } | undefined;
      if (kp && typeof kp.getSecretKey === 'function') keys.push(kp.getSecretKey());
    }
  }
  return [...new Set(keys)];
}

/**
 * The embedded node installs at genesis whatever framework bytecode it is given. The harness
 * gives it the project's shim framework (move/shim), compiled by the movevm helper's framework
 * bundle build (cached by source hash), split by package address.
 */
export async function shimFrameworkModules(): Promise<Record<string, string[]>> {
  type BuildFramework = (o: { testMode: boolean }) => Promise<{ modules: string[] }>;
  type ReadModule = (bytes: Uint8Array) => { address: string };
  const buildFramework = await loadEntryPoint<BuildFramework>(
    'framework shim build (harness/embedded/movevm/testing/framework.ts)',
    import.meta.url,
    '../../embedded/movevm/testing/framework.ts',
    'buildFramework',
  );
  const readModule = await loadEntryPoint<ReadModule>(
    'module reader (harness/embedded/sui/move/module-info.ts)',
    import.meta.url,
    '../../embedded/sui/move/module-info.ts',
    'readModule',
  );
  const { modules } = await buildFramework({ testMode: false });
  const out: Record<string, string[]> = {};
  for (const m of modules)
    (out[readModule(Uint8Array.from(Buffer.from(m, 'base64'))).address] ??= []).push(m);
  return out;
}

export async function startEmbeddedChain(opts: Record<string, unknown> = {}): Promise<ChainHandle> {
  const [start, frameworkModules] = await Promise.all([loadEmbeddedSui(), shimFrameworkModules()]);
  const node = await start({ frameworkModules, ...opts });
  return {
    kind: 'embedded',
    url: node.url,
    faucetUrl: node.faucetUrl,
    fundedKeys: secretKeysOf(node.accounts),
    snapshot: node.snapshot ? async () => String(await node.snapshot!()) : undefined,
    revert: node.revert ? async (id: string) => void (await node.revert!(id)) : undefined,
    logs: () => '',
    stop: () => node.stop(),
  };
}

const EMBEDDED_SUI_CLI = fileURLToPath(new URL('../../embedded/sui/cli.ts', import.meta.url));

/**
 * The embedded node in its own process (its standalone command), as `sui start` runs beside the
 * gateway and listener: the chain gets its own core instead of sharing the harness' event loop.
 * Snapshot/revert are in-process only, so this handle has none. Accounts are the node's
 * well-known test accounts, derived here from the same public mnemonic.
 */
export async function startEmbeddedChainProcess(
  opts: {
    accounts?: number;
    readyTimeoutMs?: number;
    latencyProfile?: string;
    rpcProfile?: string;
    epochDurationMs?: number;
  } = {},
): Promise<ChainHandle> {
  type Derive = (n: number) => Array<{ secretKey: string }>;
  const derive = await loadEntryPoint<Derive>(
    EMBEDDED_SUI_PIECE,
    import.meta.url,
    '../../embedded/sui/index.ts',
    'deriveTestAccounts',
  );
  const accounts = opts.accounts ?? 10;
  const port = await freePortOnLoopback();
  const url = `http://127.0.0.1:${port}`;
  // One server answers both gRPC and the faucet: gRPC answering means the faucet is up too.
  const proc = await startSuiNodeProcess({
    name: 'embedded Sui node',
    piece: 'embedded Sui node (separate process)',
    command: process.execPath,
    args: [
      '--import',
      'tsx',
      EMBEDDED_SUI_CLI,
      '--port',
      String(port),
      '--accounts',
      String(accounts),
      ...(opts.latencyProfile ? ['--latency-profile', opts.latencyProfile] : []),
      ...(opts.rpcProfile ? ['--rpc-profile', opts.rpcProfile] : []),
      ...(opts.epochDurationMs !== undefined ? ['--epoch-duration-ms', String(opts.epochDurationMs)] : []),
    ],
    env: process.env as Record<string, string>,
    url,
    readyTimeoutMs: opts.readyTimeoutMs ?? 60_000,
    intervalMs: 100,
  });
  return {
    kind: 'embedded',
    url,
    faucetUrl: url,
    fundedKeys: derive(accounts).map((a) => a.secretKey),
    logs: () => proc.logs.text(),
    signal: (sig) => proc.signal(sig),
    stop: () => proc.stop(),
  };
}
