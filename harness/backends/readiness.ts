import { SuiGrpcClient } from '@mysten/sui/grpc';

export interface WaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Called before each retry with the last error; lets callers abort early (e.g. the process exited). */
  shouldAbort?: () => string | undefined;
}

/**
 * Polls `probe` until it resolves, returning its value. Fails after `timeoutMs` with the last
 * probe error, or at once when `shouldAbort` returns a reason.
 */
export async function waitUntil<T>(what: string, probe: () => Promise<T>, opts: WaitOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const interval = opts.intervalMs ?? 250;
  let lastError = 'no attempt made';
  for (;;) {
    const abort = opts.shouldAbort?.();
    if (abort) throw new Error(`${what}: ${abort}`);
    try {
      return await probe();
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() + interval > deadline) {
      throw new Error(`${what}: not ready after ${opts.timeoutMs} ms (last error: ${lastError})`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

export interface ServiceInfo {
  chainId: string;
  chain: string;
  epoch: bigint | undefined;
  checkpointHeight: bigint | undefined;
}

/** One GetServiceInfo call over the Sui gRPC API (grpc-web); throws unless it answers. */
export async function probeGrpcServiceInfo(url: string, timeoutMs = 2_000): Promise<ServiceInfo> {
  const client = new SuiGrpcClient({ network: 'localnet', baseUrl: url });
  const { response } = await client.ledgerService.getServiceInfo({}, { timeout: timeoutMs });
  return {
    chainId: response.chainId ?? '',
    chain: response.chain ?? '',
    epoch: response.epoch,
    checkpointHeight: response.checkpointHeight,
  };
}

/** The Sui faucet answers `GET /` with 200 once its wallet is loaded. */
export async function probeFaucet(faucetUrl: string, timeoutMs = 2_000): Promise<void> {
  const res = await fetch(new URL('/', faucetUrl), { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`faucet answered HTTP ${res.status}`);
}

/** Both probes of a Sui network with a faucet, retried: the faucet can fail for seconds after the node is up. */
export async function waitForSuiNetwork(
  url: string,
  faucetUrl: string | undefined,
  opts: WaitOptions,
): Promise<ServiceInfo> {
  const info = await waitUntil(`Sui gRPC at ${url}`, () => probeGrpcServiceInfo(url), opts);
  if (faucetUrl) await waitUntil(`Sui faucet at ${faucetUrl}`, () => probeFaucet(faucetUrl), opts);
  return info;
}
