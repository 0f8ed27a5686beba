import { waitForSuiNetwork } from '../readiness.ts';
import type { ChainHandle } from '../types.ts';

export interface RemoteChainOptions {
  url?: string;
  faucetUrl?: string;
  fundedKey?: string;
  readyTimeoutMs?: number;
}

/** An existing network: nothing to start or stop; it must answer GetServiceInfo and have a way to fund accounts. */
export async function connectRemoteChain(opts: RemoteChainOptions): Promise<ChainHandle> {
  const url = opts.url ?? process.env.SUI_GRPC_URL;
  if (!url) {
    throw new Error(
      'remote chain needs a gRPC URL: pass --chain-url https://fullnode.devnet.sui.io:443 (or set SUI_GRPC_URL)',
    );
  }
  const faucetUrl = opts.faucetUrl ?? process.env.SUI_FAUCET_URL;
  const fundedKey = opts.fundedKey ?? process.env.SUI_FUNDED_KEY;
  if (!faucetUrl && !fundedKey) {
    throw new Error(
      'remote chain needs a way to fund test accounts: pass --faucet-url (or SUI_FAUCET_URL) or --funded-key suiprivkey… (or SUI_FUNDED_KEY)',
    );
  }
  if (fundedKey && !fundedKey.startsWith('suiprivkey')) {
    throw new Error(
      '--funded-key must be a Bech32 secret key starting with "suiprivkey" (`sui keytool export`)',
    );
  }
  await waitForSuiNetwork(url, faucetUrl, { timeoutMs: opts.readyTimeoutMs ?? 20_000, intervalMs: 1_000 });
  return {
    kind: 'remote',
    url,
    faucetUrl,
    fundedKeys: fundedKey ? [fundedKey] : [],
    logs: () => '',
    stop: async () => {},
  };
}
