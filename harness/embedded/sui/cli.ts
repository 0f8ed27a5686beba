/**
 * Standalone embedded Sui node: `npx tsx harness/embedded/sui/cli.ts [--port 9000] [--accounts 10]
 * [--checkpoint-ms 50] [--data-dir DIR] [--latency-profile none|mainnet] [--rpc-profile 1.71|current]
 * [--epoch-duration-ms 10000] [--no-framework]`. Prints a boot banner and runs until
 * interrupted. The test accounts come from a public mnemonic: NEVER use them on a real network.
 */
import { Command } from 'commander';
import { startEmbeddedSui } from './index.ts';
import { frameworkModules } from './compiled.ts';
import { LATENCY_PROFILES, type LatencyProfileName } from './latency-profile.ts';
import { RPC_PROFILES, type RpcProfileName } from './rpc-profile.ts';

function latencyName(v: string): LatencyProfileName {
  if ((LATENCY_PROFILES as readonly string[]).includes(v)) return v as LatencyProfileName;
  console.error(`--latency-profile must be one of ${LATENCY_PROFILES.join(', ')}, got '${v}'`);
  process.exit(2);
}

function rpcName(v: string): RpcProfileName {
  if ((RPC_PROFILES as readonly string[]).includes(v)) return v as RpcProfileName;
  console.error(`--rpc-profile must be one of ${RPC_PROFILES.join(', ')}, got '${v}'`);
  process.exit(2);
}

const program = new Command()
  .name('embedded-sui')
  .description('In-process Sui node serving the Sui gRPC API over grpc-web, with a faucet')
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--port <port>', 'port for gRPC-web and the faucet (0 = any free port)', '9000')
  .option('--accounts <n>', 'funded test accounts', '10')
  .option(
    '--checkpoint-ms <ms>',
    "checkpoint interval in ms, or 'tx' for one checkpoint per transaction (default 10, or the latency profile's)",
  )
  .option('--data-dir <dir>', 'persist the ledger in this directory (loaded at start)')
  .option(
    '--latency-profile <name>',
    'finalization latency to imitate: none, or mainnet (consensus ≈ 500 ms, fast path ≈ 250 ms, checkpoints every 250 ms)',
    'none',
  )
  .option(
    '--rpc-profile <release>',
    'gRPC methods to serve as that Sui release does: current (all), or 1.71 (no ListEvents/ListTransactions/SubscribeEvents/SubscribeTransactions)',
    'current',
  )
  .option('--epoch-duration-ms <ms>', 'epoch length (0 = never change epochs)', '10000')
  .option('--no-framework', 'start without the std/sui framework packages (no Move calls possible)')
  .parse();

const opts = program.opts<{
  host: string;
  port: string;
  accounts: string;
  checkpointMs?: string;
  latencyProfile: string;
  rpcProfile: string;
  epochDurationMs: string;
  dataDir?: string;
  framework: boolean;
}>();

function int(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got '${value}'`);
    process.exit(2);
  }
  return n;
}

const t0 = performance.now();
const chain = await startEmbeddedSui({
  host: opts.host,
  port: int('port', opts.port),
  accounts: int('accounts', opts.accounts),
  ...(opts.checkpointMs === undefined
    ? {}
    : {
        checkpointIntervalMs:
          opts.checkpointMs === 'tx' ? ('per-transaction' as const) : int('checkpoint-ms', opts.checkpointMs),
      }),
  dataDir: opts.dataDir,
  latencyProfile: latencyName(opts.latencyProfile),
  rpcProfile: rpcName(opts.rpcProfile),
  epochDurationMs: int('epoch-duration-ms', opts.epochDurationMs),
  frameworkModules: opts.framework ? await frameworkModules() : undefined,
});
const ms = Math.round(performance.now() - t0);

const lines = [
  `Embedded Sui node ready in ${ms} ms (chain id ${chain.chainId})`,
  `  gRPC-web : ${chain.url}    new SuiGrpcClient({ network: 'localnet', baseUrl: '${chain.url}' })`,
  `  faucet   : ${chain.faucetUrl}/v2/gas    requestSuiFromFaucetV2({ host: '${chain.faucetUrl}', recipient })`,
  `  framework: ${opts.framework ? '0x1 std, 0x2 sui (shim)' : 'none'}${opts.dataDir ? `   data: ${opts.dataDir}` : ''}`,
  `  rpc      : ${opts.rpcProfile === '1.71' ? 'Sui 1.71 methods (no event RPCs: read events from checkpoints)' : 'current (all methods)'}   epoch: ${opts.epochDurationMs === '0' ? 'never changes' : `every ${opts.epochDurationMs} ms`}`,
  '',
  `  Test mnemonic (PUBLIC, for local testing only — never fund these keys on a real network):`,
  `  ${chain.mnemonic}`,
  '',
  ...chain.accounts.map((a) => `  (${a.index}) ${a.address}  ${a.secretKey}`),
  '',
  'Ctrl-C to stop.',
];
console.log(lines.join('\n'));

const shutdown = async () => {
  await chain.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
