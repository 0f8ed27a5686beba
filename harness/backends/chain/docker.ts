import type { StartedTestContainer } from 'testcontainers';
import { BackendNotReadyError } from '../errors.ts';
import { registerCleanup } from '../cleanup.ts';
import { requireDocker } from '../docker.ts';
import { LogTail } from '../process.ts';
import { waitForSuiNetwork } from '../readiness.ts';
import type { ChainHandle } from '../types.ts';

export const SUI_TOOLS_IMAGE = 'mysten/sui-tools:testnet';
const RPC_PORT = 9000;
const FAUCET_PORT = 9123;

/** The command run inside the Sui tools image (faucet bound to all interfaces so the port mapping reaches it). */
export function dockerChainCommand(): string[] {
  return ['sui', 'start', `--with-faucet=0.0.0.0:${FAUCET_PORT}`, '--force-regenesis'];
}

/** `sui start` inside the Sui tools image via testcontainers; same readiness as localnet. */
export async function startDockerChain(
  opts: { image?: string; readyTimeoutMs?: number } = {},
): Promise<ChainHandle> {
  await requireDocker();
  const { GenericContainer, Wait } = await import('testcontainers');
  const logs = new LogTail();
  const container: StartedTestContainer = await new GenericContainer(opts.image ?? SUI_TOOLS_IMAGE)
    .withCommand(dockerChainCommand())
    .withEnvironment({ RUST_LOG: 'warn,sui=info' })
    .withExposedPorts(RPC_PORT, FAUCET_PORT)
    .withWaitStrategy(Wait.forListeningPorts())
    .withStartupTimeout(opts.readyTimeoutMs ?? 180_000)
    .withLogConsumer((stream) => stream.on('data', (d: Buffer | string) => logs.push(d.toString())))
    .start();
  const unregister = registerCleanup('sui docker container', async () => {
    await container.stop({ timeout: 5_000 });
  });
  const host = container.getHost();
  const url = `http://${host}:${container.getMappedPort(RPC_PORT)}`;
  const faucetUrl = `http://${host}:${container.getMappedPort(FAUCET_PORT)}`;
  try {
    await waitForSuiNetwork(url, faucetUrl, { timeoutMs: opts.readyTimeoutMs ?? 120_000, intervalMs: 500 });
  } catch (err) {
    unregister();
    await container.stop();
    throw new BackendNotReadyError('docker (Sui tools image)', (err as Error).message, logs.text(30));
  }
  return {
    kind: 'docker',
    url,
    faucetUrl,
    fundedKeys: [],
    logs: () => logs.text(),
    async stop() {
      unregister();
      await container.stop({ timeout: 5_000 });
    },
  };
}
