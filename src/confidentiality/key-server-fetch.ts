/**
 * The `fetch` handed to the unmodified SealClient. It does two jobs the SDK leaves to its
 * caller: it sends a server's calls to the URL configured for it (`objectId=url`), and it
 * records what every key server answered during one operation, so that a failure can name
 * which server(s) failed and why (the SDK reports only a majority error).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** What one key server did during an operation. */
export interface ServerOutcome {
  /** the KeyServer object, when the call could be matched to one */
  objectId?: string;
  url: string;
  path: string;
  /** HTTP status, absent when no answer came (refused connection, timeout, reset). */
  status?: number;
  /** Seal's error name (`NoAccess`, `ExpiredSessionKey`, …) or the transport error. */
  error?: string;
  message?: string;
}

export class OutcomeLog {
  readonly outcomes: ServerOutcome[] = [];
  /** `/v1/fetch_key` calls made (key fetches). */
  fetchKeyCalls = 0;
}

const current = new AsyncLocalStorage<OutcomeLog>();

/** Runs `fn` with its key-server calls recorded in a fresh log. */
export async function withOutcomeLog<T>(
  fn: () => Promise<T>,
): Promise<{ log: OutcomeLog; value?: T; error?: unknown }> {
  const log = new OutcomeLog();
  try {
    const value = await current.run(log, fn);
    return { log, value };
  } catch (error) {
    return { log, error };
  }
}

function stripSlash(u: string): string {
  return u.replace(/\/+$/, '');
}

function transportError(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'timed out';
  if (err?.name === 'AbortError' && !err.cause) return 'aborted';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

/**
 * Routes and records key-server calls. `/v1/service?service_id=X` names its server; a
 * `/v1/fetch_key` is matched by the URL the KeyServer object registers (learnt once the SDK
 * has read the objects, `learn`).
 */
export class KeyServerFetch {
  /** objectId → configured URL */
  private readonly overrides = new Map<string, string>();
  /** on-chain URL → objectId */
  private readonly byOnchainUrl = new Map<string, string>();
  /** `/v1/fetch_key` calls made by this process (all operations). */
  fetchKeyCalls = 0;

  constructor(
    overrides: Iterable<[string, string]> = [],
    private readonly base: typeof fetch = globalThis.fetch,
  ) {
    for (const [id, url] of overrides) this.overrides.set(id, stripSlash(url));
  }

  learn(servers: Iterable<{ objectId: string; url: string }>): void {
    for (const s of servers) this.byOnchainUrl.set(stripSlash(s.url), s.objectId);
  }

  private route(url: string): { url: string; objectId?: string } {
    const parsed = new URL(url);
    const serviceId = parsed.searchParams.get('service_id');
    const onchain = stripSlash(url.slice(0, url.indexOf('/v1/') < 0 ? url.length : url.indexOf('/v1/')));
    const objectId = serviceId ?? this.byOnchainUrl.get(onchain);
    const override = objectId ? this.overrides.get(objectId) : undefined;
    if (!override) return objectId ? { url, objectId } : { url };
    return { url: override + url.slice(onchain.length), objectId: objectId! };
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const routed = this.route(raw);
    const parsed = new URL(routed.url);
    const outcome: ServerOutcome = {
      url: parsed.origin + parsed.pathname.replace(/\/v1\/.*$/, ''),
      path: parsed.pathname,
    };
    if (routed.objectId) outcome.objectId = routed.objectId;
    const log = current.getStore();
    if (parsed.pathname.endsWith('/v1/fetch_key')) {
      this.fetchKeyCalls++;
      if (log) log.fetchKeyCalls++;
    }
    log?.outcomes.push(outcome);
    let response: Response;
    try {
      response = await this.base(routed.url, init);
    } catch (e) {
      // The SDK stops waiting for the others once the threshold is met or out of reach.
      outcome.error = init?.signal?.aborted ? 'aborted' : transportError(e);
      throw e;
    }
    outcome.status = response.status;
    if (!response.ok) {
      try {
        const body = (await response.clone().json()) as { error?: string; message?: string };
        if (body.error) outcome.error = body.error;
        if (body.message) outcome.message = body.message;
      } catch {
        outcome.error = response.statusText || `HTTP ${response.status}`;
      }
    }
    return response;
  };
}
