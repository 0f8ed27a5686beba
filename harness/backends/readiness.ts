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

/** How a node serves the contract's events to K3s-DaaS (src/sui/events.ts). */
export interface ProductRpcs {
  /** GetServiceInfo's `server` (e.g. "sui-node/1.71.0"). */
  server: string;
  events: 'events' | 'checkpoints';
}

type Probe = () => Promise<unknown>;

function unimplemented(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return (
    String(err.code) === 'UNIMPLEMENTED' ||
    String(err.code) === '12' ||
    /UNIMPLEMENTED/.test(String(err.message))
  );
}

/** Whether the method exists: UNIMPLEMENTED → false; an answer (or an open stream) → true; anything else throws. */
async function serves(probe: Probe): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (e) {
    if (unimplemented(e)) return false;
    throw e;
  }
}

/** Opens a server stream and waits for its first frame, or `waitMs` without an error (the method exists). */
async function firstFrame(
  open: (signal: AbortSignal) => {
    responses: AsyncIterable<unknown>;
    headers: Promise<unknown>;
    status: Promise<unknown>;
    trailers: Promise<unknown>;
  },
  waitMs: number,
): Promise<void> {
  const abort = new AbortController();
  const call = open(abort.signal);
  for (const p of [call.headers, call.status, call.trailers]) p.catch(() => undefined);
  const timer = setTimeout(() => abort.abort(), waitMs);
  try {
    for await (const _ of call.responses) break;
  } catch (e) {
    if (!abort.signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/**
 * The RPCs K3s-DaaS needs, checked once the node answers GetServiceInfo: LedgerService.ListEvents
 * and SubscriptionService.SubscribeEvents (Sui ≥ 1.76/1.77), or else the checkpoint fallback,
 * LedgerService.GetCheckpoint and SubscriptionService.SubscribeCheckpoints (Sui 1.71). Throws a
 * message naming the node's server/version and what is missing.
 */
export async function checkProductRpcs(url: string, waitMs = 2_000): Promise<ProductRpcs> {
  const client = new SuiGrpcClient({ network: 'localnet', baseUrl: url });
  const { response } = await client.ledgerService.getServiceInfo({}, { timeout: waitMs });
  const server = response.server ?? 'an unnamed server';
  // A filter that never matches: a real node still opens the stream with a progress frame.
  const never = {
    terms: [
      {
        literals: [
          {
            negated: false,
            predicate: {
              oneofKind: 'eventType' as const,
              eventType: { eventType: '0x0::k3s_daas_probe::None' },
            },
          },
        ],
      },
    ],
  };
  const methods: [string, Probe][] = [
    [
      'LedgerService.ListEvents',
      () =>
        firstFrame(
          (abort) =>
            client.ledgerService.listEvents(
              { readMask: { paths: ['event_type'] }, options: { limit: 1 } },
              { abort },
            ),
          waitMs,
        ),
    ],
    [
      'SubscriptionService.SubscribeEvents',
      () =>
        firstFrame(
          (abort) => client.subscriptionService.subscribeEvents({ filter: never }, { abort }),
          waitMs,
        ),
    ],
    [
      'LedgerService.GetCheckpoint',
      async () =>
        await client.ledgerService.getCheckpoint(
          { checkpointId: { oneofKind: undefined }, readMask: { paths: ['sequence_number'] } },
          { timeout: waitMs },
        ),
    ],
    [
      'SubscriptionService.SubscribeCheckpoints',
      () =>
        firstFrame(
          (abort) =>
            client.subscriptionService.subscribeCheckpoints(
              { readMask: { paths: ['sequence_number'] } },
              { abort },
            ),
          waitMs,
        ),
    ],
  ];
  const missing: string[] = [];
  for (const [name, probe] of methods) if (!(await serves(probe))) missing.push(name);
  const has = (m: string) => !missing.includes(m);
  if (has('LedgerService.ListEvents') && has('SubscriptionService.SubscribeEvents'))
    return { server, events: 'events' };
  if (has('LedgerService.GetCheckpoint') && has('SubscriptionService.SubscribeCheckpoints'))
    return { server, events: 'checkpoints' };
  throw new Error(
    `the Sui node at ${url} (${server}) does not serve what K3s-DaaS reads the contract's events with: ` +
      `ListEvents + SubscribeEvents (Sui ≥ 1.76/1.77) or GetCheckpoint + SubscribeCheckpoints (Sui 1.71); ` +
      `missing: ${missing.join(', ')}. Use a sui binary (or node) of a release that serves them`,
  );
}
