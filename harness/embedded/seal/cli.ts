/**
 * Embedded Seal key servers as their own process, against any chain's gRPC URL:
 * `npx tsx harness/embedded/seal/cli.ts --grpc-url URL (--secret-key suiprivkey… | --faucet-url URL)
 * [--count 3] [--threshold 2] [--host 127.0.0.1] [--base-port N] [--package-id 0x…] [--registration 1|2]`.
 * Prints one JSON line `{ packageId, threshold, servers: [{ objectId, url, name }] }` when the
 * servers are registered and serving, then runs until SIGINT/SIGTERM. Test keys only.
 */
import { Command } from 'commander';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { requestSuiFromFaucetV2 } from '@mysten/sui/faucet';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { startSealKeyServers } from './index.ts';

const program = new Command()
  .name('embedded-seal')
  .description('Seal key servers (embedded harness implementation) registered on the given chain')
  .requiredOption('--grpc-url <url>', 'gRPC(-web) URL of the Sui node')
  .option(
    '--secret-key <key>',
    'suiprivkey… of the account that publishes and registers (env SEAL_KS_SECRET_KEY)',
  )
  .option('--faucet-url <url>', 'fund a fresh account from this faucet instead of --secret-key')
  .option('--count <n>', 'key servers', '3')
  .option('--threshold <n>', 'threshold reported to clients', '2')
  .option('--host <host>', 'interface to listen on', '127.0.0.1')
  .option('--base-port <port>', 'server i listens on base-port + i (default: free ports)')
  .option('--package-id <id>', 'an already published move/seal_key_server')
  .option('--registration <version>', 'registration layout: 2 (KeyServerV2) or 1 (KeyServerV1)', '2')
  .parse();

const opts = program.opts<{
  grpcUrl: string;
  secretKey?: string;
  faucetUrl?: string;
  count: string;
  threshold: string;
  host: string;
  basePort?: string;
  packageId?: string;
  registration: string;
}>();

function int(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min}, got '${value}'`);
    process.exit(2);
  }
  return n;
}

const secret = opts.secretKey ?? process.env.SEAL_KS_SECRET_KEY;
let signer: Ed25519Keypair;
if (secret) signer = Ed25519Keypair.fromSecretKey(secret);
else if (opts.faucetUrl) {
  signer = Ed25519Keypair.generate();
  await requestSuiFromFaucetV2({ host: opts.faucetUrl, recipient: signer.toSuiAddress() });
} else {
  console.error(
    'embedded-seal needs an account to publish and register with: pass --secret-key or --faucet-url',
  );
  process.exit(2);
}
const registration = int('registration', opts.registration, 1);
if (registration !== 1 && registration !== 2) {
  console.error(`--registration must be 1 or 2, got '${opts.registration}'`);
  process.exit(2);
}

const ks = await startSealKeyServers({
  client: new SuiGrpcClient({ network: 'localnet', baseUrl: opts.grpcUrl }),
  signer,
  count: int('count', opts.count, 1),
  threshold: int('threshold', opts.threshold, 1),
  host: opts.host,
  ...(opts.basePort ? { basePort: int('base-port', opts.basePort, 1) } : {}),
  ...(opts.packageId ? { packageId: opts.packageId } : {}),
  version: registration,
});
console.log(
  JSON.stringify({
    packageId: ks.packageId,
    threshold: ks.threshold,
    servers: ks.servers.map((s) => ({ objectId: s.objectId, url: s.url, name: s.name })),
  }),
);
const shutdown = () => void ks.stop().then(() => process.exit(0));
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
