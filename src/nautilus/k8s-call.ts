/**
 * Runs one request against Kubernetes: the URL is rebuilt only from the checked fields (anything
 * that cannot be rebuilt is answered 400 and never sent), the payload decoded and checked against
 * its digest, the media negotiated; a watch runs for one window. Always returns an answer: a
 * Kubernetes API server that cannot be reached is a 503 Status.
 */
import { decodeBody, type RequestFields } from '../contract/index.ts';
import { SealFailure } from '../confidentiality/seal-failure.ts';
import { discoveryPath, isDiscoveryFields } from '../k8s/discovery-fields.ts';
import { RequestRefused } from '../k8s/request.ts';
import { failureStatus } from '../k8s/status.ts';
import type { Logger } from '../shared/logger.ts';
import { mediaHeaders, watchAccept } from '../k8s/media.ts';
import type { K8sAnswer, K8sExecutor } from './k8s-executor.ts';
import { requesterIdentity, type KubeIdentity } from './kube-identity.ts';
import type { ListenerMetrics } from './metrics.ts';
import { isRepeatable, verbClassOf } from './protocol.ts';
import { rebuildUrl } from './url-rebuilder.ts';
import { namedCreate, taggedRequest, taggedWrite, tagBody } from './write-tag.ts';

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
   * The Request object id: a named create carries it in `k3s-daas.io/request`, and a create
   * refused with AlreadyExists whose object carries it is answered 201 with that object
   * (write-tag.ts). Unset: the body is sent as the user wrote it.
   */
  requestObjectId?: string;
  /**
   * Called before a request is sent, with the identity it runs as: the RBAC mirror makes sure
   * the request's SealToken is mirrored (a token issued since the last reconcile) first.
   */
  beforeSend?: (f: RequestFields, as: KubeIdentity) => Promise<void>;
  /**
   * Decrypts a Seal payload (still content-encoded after). Throws a SealFailure when it cannot;
   * the request is then answered with that refusal and never sent to Kubernetes.
   */
  openPayload?: (f: RequestFields, payload: Uint8Array) => Promise<Uint8Array>;
}

/**
 * Whom a request runs as: the `kubectl --as` user and groups the contract allowed and recorded,
 * else the requester under its SealToken (never the listener's own credential).
 */
export function identityOf(f: RequestFields): KubeIdentity {
  if (f.intent.impersonate_user)
    return { user: f.intent.impersonate_user, groups: f.intent.impersonate_groups };
  return requesterIdentity({ requester: f.requester, tokenId: f.tokenId, clusterId: f.intent.cluster_id });
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
  /** the payload in clear, still content-encoded */
  let clearPayload: Uint8Array | undefined;
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
    clearPayload = sent;
    try {
      body = decodeBody(sent, f.contentEncoding);
    } catch (e) {
      return statusAnswer(400, `request body could not be decoded: ${(e as Error).message}`);
    }
  }
  // The write-tag decisions read the plaintext (a Seal cluster's payload is a ciphertext).
  const clear = clearPayload ? { ...f, payload: clearPayload } : f;
  const createdName = c.requestObjectId && body ? namedCreate(clear) : undefined;
  const tagged = createdName ?? (c.requestObjectId && body ? taggedWrite(clear) : undefined);
  if (tagged && body) body = tagBody(body, f.contentType, c.requestObjectId!) ?? body;
  const media = mediaHeaders(f, !!body);
  try {
    const call: Parameters<K8sExecutor['execute']>[0] = {
      method,
      path,
      accept: media.accept,
      as: identityOf(f),
      // A tagged named create is safe to retry: a second run finds its own object.
      idempotent: isRepeatable(verbClassOf(f)) || createdName !== undefined,
    };
    if (body) call.body = body;
    if (media.contentType) call.contentType = media.contentType;
    if (c.beforeSend && call.as !== 'self') {
      try {
        await c.beforeSend(f, call.as);
      } catch (e) {
        c.metrics.failures.labels('rbac_mirror').inc();
        return statusAnswer(
          503,
          `the executor could not mirror SealToken ${f.tokenId} into Kubernetes RBAC before running the request: ${(e as Error).message}; retry, and if it persists ask the cluster administrator to check the listener's --rbac-kubeconfig`,
        );
      }
    }
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
    const answer = await c.k8s.execute(call);
    // 409 (AlreadyExists, in whatever media the client accepted): is the object our own?
    if (createdName && answer.statusCode === 409)
      return (await ourCreatedObject(f, createdName, c)) ?? answer;
    return answer;
  } catch (e) {
    c.metrics.failures.labels('execute').inc();
    c.log.error({ err: (e as Error).message, path }, 'Kubernetes API call failed');
    return statusAnswer(503, `the Kubernetes API server could not be reached: ${(e as Error).message}`);
  }
}

/**
 * After a create of `name` was refused with 409 AlreadyExists: the object, answered 201, when it
 * carries this request's id (an earlier run of this very request created it: a crash or a
 * takeover re-ran it); undefined when it is someone else's (the 409 stands). Read as the request
 * runs (the listener's own credential may only impersonate, #18); a requester who may create but
 * not get keeps the 409.
 */
async function ourCreatedObject(
  f: RequestFields,
  name: string,
  c: K8sCallContext,
): Promise<K8sAnswer | undefined> {
  const { path } = rebuildUrl({ ...f, verb: 'get', name, query: '' });
  const got = await c.k8s.execute({
    method: 'GET',
    path,
    accept: 'application/json',
    as: identityOf(f),
    idempotent: true,
  });
  if (got.statusCode !== 200 || taggedRequest(got.body) !== c.requestObjectId) return undefined;
  c.log.info({ name }, "create re-run: the object is this request's own, answering 201 with it");
  return { statusCode: 201, contentType: got.contentType, body: got.body };
}

/**
 * After a crash or a takeover, whether a tagged update or patch provably ran: its object carries
 * this request's id → 200 with the object; anything else (not tagged by it, unreadable, not a
 * tagged write) → undefined, and the caller answers "ran at most once". Only reads: never re-runs.
 */
export async function provenOutcome(
  f: RequestFields,
  requestObjectId: string,
  k8s: KubernetesApi,
): Promise<K8sAnswer | undefined> {
  const name = taggedWrite(f);
  if (!name) return undefined;
  const { path } = rebuildUrl({ ...f, verb: 'get', name, query: '' });
  const got = await k8s
    .execute({ method: 'GET', path, accept: 'application/json', as: identityOf(f), idempotent: true })
    .catch(() => undefined);
  if (got?.statusCode !== 200 || taggedRequest(got.body) !== requestObjectId) return undefined;
  return { statusCode: 200, contentType: got.contentType, body: got.body };
}
