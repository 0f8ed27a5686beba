/**
 * Runs one request against Kubernetes: the URL is rebuilt only from the checked fields (anything
 * that cannot be rebuilt is answered 400 and never sent), the payload decoded and checked against
 * its digest, the media negotiated; a watch runs for one window. Always returns an answer: a
 * Kubernetes API server that cannot be reached is a 503 Status.
 */
import { decodeBody, type RequestFields } from '../contract/index.ts';
import { SealFailure } from '../confidentiality/seal-failure.ts';
import { discoveryPath, isDiscoveryFields } from '../shared/discovery-fields.ts';
import { RequestRefused } from '../shared/k8s-request.ts';
import { failureStatus } from '../shared/k8s-status.ts';
import type { Logger } from '../shared/logger.ts';
import { mediaHeaders, watchAccept } from '../shared/media.ts';
import type { K8sAnswer, K8sExecutor } from './k8s-executor.ts';
import type { ListenerMetrics } from './metrics.ts';
import { isRepeatable, verbClassOf } from './protocol.ts';
import { rebuildUrl } from './url-rebuilder.ts';

/** The part of K8sExecutor the listener uses (a fake in unit tests). */
export type KubernetesApi = Pick<K8sExecutor, 'execute' | 'watch' | 'serverUrl'>;

/** A watch window's defaults: see K8sExecutor.watch. */
export const DEFAULT_WATCH_WINDOW = { maxMs: 10_000, settleMs: 250 };

export interface K8sCallContext {
  k8s: KubernetesApi;
  watch?: { maxMs?: number; settleMs?: number };
  maxResponseBytes: number;
  signal: AbortSignal;
  metrics: Pick<ListenerMetrics, 'failures'>;
  log: Logger;
  /**
   * Decrypts a Seal payload (still content-encoded after). Throws a SealFailure when it cannot;
   * the request is then answered with that refusal and never sent to Kubernetes.
   */
  openPayload?: (f: RequestFields, payload: Uint8Array) => Promise<Uint8Array>;
}

/** A Kubernetes Status answer with this code and message. */
export function statusAnswer(code: number, message: string): K8sAnswer {
  return {
    statusCode: code,
    contentType: 'application/json',
    body: Buffer.from(JSON.stringify(failureStatus(code, message))),
  };
}

export async function runK8sRequest(f: RequestFields, c: K8sCallContext): Promise<K8sAnswer> {
  let method: string;
  let path: string;
  try {
    if (isDiscoveryFields(f)) {
      method = 'GET';
      path = discoveryPath(f);
    } else ({ method, path } = rebuildUrl(f));
  } catch (e) {
    if (e instanceof RequestRefused) {
      c.log.warn({ err: e.message }, 'refused to rebuild the request URL');
      return statusAnswer(400, `the executor refused the request: ${e.message}`);
    }
    throw e;
  }
  let body: Uint8Array | undefined;
  if (f.payload && f.payload.length > 0) {
    let sent = f.payload;
    try {
      // The digest is over the bytes as sent (the ciphertext on a Seal cluster).
      decodeBody(sent, '', f.payloadDigest);
    } catch (e) {
      return statusAnswer(400, `request body could not be decoded: ${(e as Error).message}`);
    }
    if (c.openPayload) {
      try {
        sent = await c.openPayload(f, sent);
      } catch (e) {
        c.metrics.failures.labels('decrypt').inc();
        c.log.warn({ err: (e as Error).message }, 'payload not decrypted: refused, not executed');
        const code = e instanceof SealFailure ? e.code : 503;
        return statusAnswer(
          code,
          `the executor could not decrypt the request payload, so it did not run it: ${(e as Error).message}`,
        );
      }
    }
    try {
      body = decodeBody(sent, f.contentEncoding);
    } catch (e) {
      return statusAnswer(400, `request body could not be decoded: ${(e as Error).message}`);
    }
  }
  const media = mediaHeaders(f, !!body);
  try {
    const call: Parameters<K8sExecutor['execute']>[0] = {
      method,
      path,
      accept: media.accept,
      requester: f.requester,
      idempotent: isRepeatable(verbClassOf(f)),
    };
    if (body) call.body = body;
    if (media.contentType) call.contentType = media.contentType;
    // kubectl --as, checked by the contract against the requester's SealToken.
    if (f.intent.impersonate_user)
      call.impersonate = { user: f.intent.impersonate_user, groups: f.intent.impersonate_groups };
    if (f.verb === 'watch') {
      const accept = watchAccept(call.accept);
      if (!accept)
        return statusAnswer(
          406,
          `a watch through K3s-DaaS is served as JSON, and the request's Accept (${call.accept}) does not allow application/json`,
        );
      const query = new URLSearchParams(f.query);
      return await c.k8s.watch(
        { ...call, accept },
        {
          maxMs: c.watch?.maxMs ?? DEFAULT_WATCH_WINDOW.maxMs,
          settleMs: c.watch?.settleMs ?? DEFAULT_WATCH_WINDOW.settleMs,
          maxBytes: c.maxResponseBytes,
          closingBookmark: query.get('allowWatchBookmarks') === 'true',
          signal: c.signal,
        },
      );
    }
    return await c.k8s.execute(call);
  } catch (e) {
    c.metrics.failures.labels('execute').inc();
    c.log.error({ err: (e as Error).message, path }, 'Kubernetes API call failed');
    return statusAnswer(503, `the Kubernetes API server could not be reached: ${(e as Error).message}`);
  }
}
