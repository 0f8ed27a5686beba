/**
 * The product components started inside the harness process (`--in-process`): same code
 * (src/gateway startGateway, src/nautilus startNautilus), no child process. Faster to boot
 * (no per-process TypeScript load) and easier to debug; the default remains separate
 * processes, as in production.
 */
import type { Keypair } from '@mysten/sui/cryptography';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Keystore } from '../../../src/shared/keystore.ts';
import type { IdentityStore } from '../../../src/shared/identities.ts';
import type { TlsMaterial } from '../../../src/shared/tls.ts';
import type { RunningComponent } from './components.ts';

const quietLevel = (): string => process.env.LOG_LEVEL ?? 'warn';

export interface InProcessGatewayConfig {
  client: SuiGrpcClient;
  packageId: string;
  clusterId: string;
  keystore: Keystore;
  identities: IdentityStore;
  tls: TlsMaterial;
  host: string;
  port: number;
  requestFeeMist: bigint;
  responseTimeoutS?: number;
}

export function inProcessGateway(c: InProcessGatewayConfig): RunningComponent & { url: string } {
  let handle: { stop(): Promise<void> } | undefined;
  return {
    name: 'gateway (in-process)',
    url: `https://${c.host}:${c.port}`,
    running: () => handle !== undefined,
    logs: () => '',
    async start() {
      if (handle) return;
      const { startGateway } = await import('../../../src/gateway/index.ts');
      const { createLogger } = await import('../../../src/shared/logger.ts');
      handle = await startGateway({
        client: c.client,
        packageId: c.packageId,
        clusterId: c.clusterId,
        keystore: c.keystore,
        identities: c.identities,
        tls: c.tls,
        host: c.host,
        port: c.port,
        requestFee: c.requestFeeMist,
        ...(c.responseTimeoutS ? { responseTimeoutMs: c.responseTimeoutS * 1000 } : {}),
        logger: createLogger('gateway', quietLevel()),
      });
    },
    async stop() {
      const h = handle;
      handle = undefined;
      await h?.stop();
    },
  };
}

export interface InProcessListenerConfig {
  client: SuiGrpcClient;
  packageId: string;
  clusterId: string;
  signer: Keypair;
  kubeconfigPath: string;
  stateDir: string;
  healthPort: number;
}

export function inProcessListener(c: InProcessListenerConfig): RunningComponent & { healthUrl: string } {
  let handle: { stop(): Promise<void> } | undefined;
  return {
    name: 'nautilus (in-process)',
    healthUrl: `http://127.0.0.1:${c.healthPort}/healthz`,
    running: () => handle !== undefined,
    logs: () => '',
    async start() {
      if (handle) return;
      const { startNautilus } = await import('../../../src/nautilus/index.ts');
      const { createLogger } = await import('../../../src/shared/logger.ts');
      handle = await startNautilus({
        client: c.client,
        packageId: c.packageId,
        clusterId: c.clusterId,
        signer: c.signer,
        kubeconfigPath: c.kubeconfigPath,
        stateDir: c.stateDir,
        health: { port: c.healthPort },
        logger: createLogger('nautilus', quietLevel()),
      });
    },
    async stop() {
      const h = handle;
      handle = undefined;
      await h?.stop();
    },
  };
}
