/**
 * Public entry point: `startEmbeddedSui(opts)` boots an in-process Sui node that serves the Sui
 * gRPC API over grpc-web (what `SuiGrpcClient` speaks) and a faucet, on one HTTP port.
 */
import { GrpcRouter } from './grpc-web/router.ts';
import { startGrpcWebServer } from './grpc-web/http-server.ts';
import { EmbeddedSuiNode, type NodeOptions } from './node.ts';
import { Faucet } from './faucet.ts';
import { faucetKeypair, TEST_MNEMONIC, type TestAccount } from './ledger/genesis.ts';
import { registerLedgerService } from './services/ledger-service.ts';
import { registerStateService } from './services/state-service.ts';
import { registerExecutionService } from './services/execution-service.ts';
import { registerMovePackageService } from './services/move-package-service.ts';
import { registerSubscriptionService } from './services/subscription-service.ts';
import { unservedMethods, type RpcProfileName } from './rpc-profile.ts';
import { loadState, saveState } from './persistence.ts';

export { EmbeddedSuiNode, type NodeOptions } from './node.ts';
export { TEST_MNEMONIC, deriveTestAccounts, type TestAccount } from './ledger/genesis.ts';
export { MAINNET_LIMITS, type Limits } from './execution/limits.ts';

export interface EmbeddedSuiOptions extends NodeOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Keep the ledger here: loaded at start when present, written on stop() and every few seconds. */
  dataDir?: string;
}

export interface EmbeddedSui {
  /** grpc-web base URL for `new SuiGrpcClient({ baseUrl: url, network: 'localnet' })`. */
  url: string;
  /** Faucet host for `requestSuiFromFaucetV2({ host: faucetUrl, recipient })`. */
  faucetUrl: string;
  chainId: string;
  accounts: TestAccount[];
  mnemonic: string;
  node: EmbeddedSuiNode;
  snapshot(): string;
  revert(id: string): void;
  stop(): Promise<void>;
}

export function buildRouter(node: EmbeddedSuiNode, rpcProfile: RpcProfileName = 'current'): GrpcRouter {
  const router = new GrpcRouter();
  registerLedgerService(router, node);
  registerStateService(router, node);
  registerExecutionService(router, node);
  registerMovePackageService(router, node);
  registerSubscriptionService(router, node);
  router.remove(unservedMethods(rpcProfile));
  return router;
}

export async function startEmbeddedSui(opts: EmbeddedSuiOptions = {}): Promise<EmbeddedSui> {
  const node = new EmbeddedSuiNode(opts);
  if (opts.dataDir) {
    const saved = loadState(opts.dataDir);
    if (saved) node.restore(saved.state, saved.clockMs);
  }
  node.start();
  const faucet = new Faucet(node, faucetKeypair());
  const server = await startGrpcWebServer({
    router: buildRouter(node, opts.rpcProfile),
    host: opts.host,
    port: opts.port,
    fallback: (req, res) => faucet.handle(req, res),
  });
  let saver: NodeJS.Timeout | undefined;
  if (opts.dataDir) {
    const dir = opts.dataDir;
    saver = setInterval(() => saveState(dir, node.ledger.state, node.nowMs), 5_000);
    saver.unref();
  }
  return {
    url: server.url,
    faucetUrl: server.url,
    chainId: node.chainId,
    accounts: node.accounts,
    mnemonic: TEST_MNEMONIC,
    node,
    snapshot: () => node.snapshot(),
    revert: (id) => node.revert(id),
    stop: async () => {
      node.stop();
      if (saver) clearInterval(saver);
      if (opts.dataDir) saveState(opts.dataDir, node.ledger.state, node.nowMs);
      await server.close();
    },
  };
}
