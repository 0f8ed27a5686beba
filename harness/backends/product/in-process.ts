/**
 * The product components started inside the harness process (`--in-process`): same code
 * (src/gateway startGateway, src/nautilus startNautilus), no child process. Faster to boot
 * (no per-process TypeScript load) and easier to debug; the default remains separate
 * processes, as in production.
 */
import type { Keypair } from '@mysten/sui/cryptography';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Keystore } from '../../../src/sui/keystore.ts';
import type { IdentityStore } from '../../../src/shared/identities.ts';
import type { TlsMaterial } from '../../../src/shared/tls.ts';
import type { RunningComponent } from './components.ts';
import type { PodSecurityLevel } from '../../../src/nautilus/rbac-mirror.ts';

/** "3s" / "500ms" → ms (the CLI flag's format, for the in-process listener). */
function parseDurationMs(d: string): number {
  const m = /^(\d+)(ms|s)?$/.exec(d);
  if (!m) throw new Error(`harness: duration "${d}" must be <n>ms or <n>s`);
  return Number(m[1]) * (m[2] === 'ms' ? 1 : 1000);
}

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
  allowAdminCredential?: boolean;
  rbac?: { kubeconfigPath: string; podSecurity?: string; reconcile?: string };
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
        ...(c.allowAdminCredential ? { allowAdminCredential: true } : {}),
        ...(c.rbac
          ? {
              rbac: {
                kubeconfigPath: c.rbac.kubeconfigPath,
                ...(c.rbac.podSecurity ? { podSecurity: c.rbac.podSecurity as PodSecurityLevel } : {}),
                ...(c.rbac.reconcile ? { periodMs: parseDurationMs(c.rbac.reconcile) } : {}),
              },
            }
          : {}),
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
