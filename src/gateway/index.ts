/**
 * Public entry of the Contract API Gateway: `startGateway()` wires the HTTPS
 * front (server.ts) to the chain (SuiChainPort) and returns a handle.
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Keystore } from '../sui/keystore.ts';
import type { IdentityStore } from '../shared/identities.ts';
import type { Logger } from '../shared/logger.ts';
import { createLogger } from '../shared/logger.ts';
import { createThrowawayTls, type TlsMaterial } from '../shared/tls.ts';
import { GatewayServer } from './server.ts';
import { SuiChainPort } from './sui-chain-port.ts';
import { GasAdvisor } from './gas.ts';
import { GatewaySeal } from '../confidentiality/gateway-seal.ts';
import { startConfidentiality } from '../confidentiality/startup-check.ts';
import type { KeyServerSpec } from '../confidentiality/key-servers.ts';

export { GatewayServer, REQUEST_ID_HEADER, TX_DIGEST_HEADER, TRACE_HEADER } from './server.ts';
export { SuiChainPort } from './sui-chain-port.ts';
export { GasAdvisor } from './gas.ts';
export { DISCOVERY_RULE } from '../k8s/discovery-fields.ts';

export interface StartGatewayOptions {
  client: SuiGrpcClient;
  packageId: string;
  clusterId: string;
  keystore: Keystore;
  identities: IdentityStore;
  /** TLS material; a throw-away CA + certificate for 127.0.0.1/localhost when omitted */
  tls?: TlsMaterial;
  host?: string;
  port?: number;
  responseTimeoutMs?: number;
  discoveryTtlMs?: number;
  /** Longest a watch stays open, window after window (default 30 min). */
  watchMaxMs?: number;
  requestFee?: bigint;
  pollIntervalMs?: number;
  useEvents?: boolean;
  logger?: Logger;
  /** Flags `k3s-daas identity fund` needs to reach this chain, quoted in out-of-gas messages. */
  fundFlags?: string;
  /**
   * Seal: `--seal-key-servers` (URLs for the cluster's key servers) and `--seal-threshold`
   * (checked against the cluster's). The Cluster's on-chain setting decides whether and how.
   */
  seal?: { keyServers?: KeyServerSpec[]; threshold?: number; fetch?: typeof fetch };
}

export interface GatewayHandle {
  url: string;
  port: number;
  /** PEM of the CA that signed the gateway certificate (for kubeconfig) */
  caCert: string;
  server: GatewayServer;
  chain: SuiChainPort;
  stop(): Promise<void>;
}

export async function startGateway(o: StartGatewayOptions): Promise<GatewayHandle> {
  const logger = o.logger ?? createLogger('gateway');
  const tls =
    o.tls ??
    (await createThrowawayTls([
      o.host && o.host !== '0.0.0.0' ? o.host : '127.0.0.1',
      'localhost',
      '127.0.0.1',
      '::1',
    ]));
  const chainOpts: ConstructorParameters<typeof SuiChainPort>[0] = {
    client: o.client,
    packageId: o.packageId,
    clusterId: o.clusterId,
    keystore: o.keystore,
    logger,
  };
  if (o.responseTimeoutMs !== undefined) chainOpts.responseTimeoutMs = o.responseTimeoutMs;
  if (o.requestFee !== undefined) chainOpts.requestFee = o.requestFee;
  if (o.pollIntervalMs !== undefined) chainOpts.pollIntervalMs = o.pollIntervalMs;
  if (o.useEvents !== undefined) chainOpts.useEvents = o.useEvents;
  const confidentiality = await startConfidentiality(o, logger);
  chainOpts.seal = new GatewaySeal(confidentiality.party);
  const chain = new SuiChainPort(chainOpts);
  chain.start();
  const gas = new GasAdvisor({
    balanceOf: async (owner) => BigInt((await o.client.getBalance({ owner })).balance.balance),
    ...(o.fundFlags ? { fundFlags: o.fundFlags } : {}),
  });
  const serverOpts: ConstructorParameters<typeof GatewayServer>[0] = {
    chain,
    identities: o.identities,
    tls,
    logger,
    gas,
  };
  if (o.host !== undefined) serverOpts.host = o.host;
  if (o.port !== undefined) serverOpts.port = o.port;
  if (o.discoveryTtlMs !== undefined) serverOpts.discoveryTtlMs = o.discoveryTtlMs;
  if (o.watchMaxMs !== undefined) serverOpts.watchMaxMs = o.watchMaxMs;
  const server = new GatewayServer(serverOpts);
  const { url, port } = await server.listen();
  logger.info(
    { url, cluster: o.clusterId, package: o.packageId, confidentiality: confidentiality.summary },
    'gateway listening',
  );
  return {
    url,
    port,
    caCert: tls.caCert,
    server,
    chain,
    async stop() {
      await server.close();
      await chain.close();
    },
  };
}
