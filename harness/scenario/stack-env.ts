import { ApiException, CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { lookupAbort } from '../../src/contract/index.ts';
import { DISCOVERY_GROUP } from '../../src/k8s/discovery-fields.ts';
import type { RecordedEvent } from '../backends/onchain/event-recorder.ts';
import type { Stack } from '../stack.ts';
import type { ObservedEvent } from './assertions.ts';
import type { AuditedRequest, ChainEvidence, ScenarioEnv } from './env.ts';
import { abortFromStderr, GATEWAY_HEADERS, runKubectl, type KubectlResult } from './kubectl.ts';
import type { StackAction } from './types.ts';

/** Statuses the gateway answers with when the contract (or the gateway) refused a request. */
const REFUSAL_STATUSES = new Set([400, 401, 403, 409, 413]);
const DISCOVERY_PATH = /^\/(api|apis|openapi|version)(\/|$|\?)/;
const WATCH_REQUEST = /[?&]watch=(true|1)(&|$)|\/watch\//;

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

const toObserved = (e: RecordedEvent): ObservedEvent => ({
  type: e.type,
  txDigest: e.txDigest,
  fields: e.fields,
  seenAt: e.seenAt,
});

/** The scenario environment on a real stack: kubectl through the gateway, evidence from the chain. */
export class StackEnv implements ScenarioEnv {
  private readonly objects: KubernetesObjectApi;
  private readonly core: CoreV1Api;
  constructor(
    private readonly stack: Stack,
    private readonly opts: { chainWaitMs?: number } = {},
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(stack.kube);
    this.core = stack.kube.makeApiClient(CoreV1Api);
  }

  kubectl(
    identity: string,
    args: string[],
    o: { stdin?: string; cwd: string; timeoutMs?: number; until?: { stdout: RegExp; timeoutMs: number } },
  ): Promise<KubectlResult> {
    return runKubectl({
      kubeconfigPath: this.stack.identity(identity).kubeconfigPath,
      args,
      stdin: o.stdin,
      cwd: o.cwd,
      timeoutMs: o.timeoutMs,
      until: o.until,
    });
  }

  private requestsOf(run: KubectlResult, identity: string): AuditedRequest[] {
    const out: AuditedRequest[] = [];
    for (const x of run.http) {
      const requestId = x.headers[GATEWAY_HEADERS.requestId];
      if (!requestId) continue;
      const txDigest = x.headers[GATEWAY_HEADERS.txDigest];
      // Discovery answered from the gateway's cache never reaches the chain (allowed by design).
      if (!txDigest && DISCOVERY_PATH.test(pathOf(x.url)) && (x.status ?? 0) < 400) continue;
      out.push({
        requestId,
        txDigest,
        httpStatus: x.status,
        refused: REFUSAL_STATUSES.has(x.status ?? 0) || !txDigest,
        ...(WATCH_REQUEST.test(x.url) ? { watch: true } : {}),
        identity,
        command: run.command,
      });
    }
    return out;
  }

  /**
   * The K8sAPIRequest behind an answer: by request id, or — for a discovery document the
   * gateway served from its cache (fresh request id, original digest) — by transaction digest.
   */
  private chainRequestFor(r: Pick<AuditedRequest, 'requestId' | 'txDigest'>): RecordedEvent | undefined {
    const all = this.stack.events.all();
    return (
      all.find((e) => e.type === 'K8sAPIRequest' && e.fields.request_id === r.requestId) ??
      (r.txDigest ? all.find((e) => e.type === 'K8sAPIRequest' && e.txDigest === r.txDigest) : undefined)
    );
  }

  private hasRequest(r: Pick<AuditedRequest, 'requestId' | 'txDigest'>): boolean {
    return this.chainRequestFor(r) !== undefined;
  }

  private answered(r: Pick<AuditedRequest, 'requestId' | 'txDigest'>): boolean {
    const req = this.chainRequestFor(r);
    if (!req) return false;
    return this.stack.events
      .all()
      .some(
        (e) => e.type === 'K8sAPIResponse' && e.fields.request_object_id === req.fields.request_object_id,
      );
  }

  async evidence(
    run: KubectlResult,
    identity: string,
    o: { sinceMs: number; needChain: boolean },
  ): Promise<ChainEvidence> {
    const requests = this.requestsOf(run, identity);
    const expected = requests.filter((r) => !r.refused);
    if (o.needChain || expected.length) {
      // Answered requests must show up with their response; refused ones get a short grace period.
      // A watch window's response is awaited only when the step asks about chain evidence: it is
      // recorded when the window closes, long after kubectl may have left.
      const settled = (r: AuditedRequest) =>
        r.watch && !o.needChain ? this.hasRequest(r) : this.answered(r);
      const ok = await this.stack.events.waitFor(
        () => expected.every(settled),
        this.opts.chainWaitMs ?? 10_000,
      );
      if (!ok && process.env.K3S_DAAS_HARNESS_DEBUG) {
        const missing = expected
          .filter((r) => !settled(r))
          .map(
            (r) =>
              `${r.requestId} (HTTP ${r.httpStatus}, tx ${r.txDigest}, request event: ${this.hasRequest(r)})`,
          );
        process.stderr.write(
          `[harness] ${run.command}: not answered on chain after waiting: ${missing.join(', ')}\n`,
        );
      }
    }
    for (const r of requests) if (r.refused && this.hasRequest(r)) r.refused = false;

    let events: RecordedEvent[];
    if (run.http.some((x) => x.headers[GATEWAY_HEADERS.requestId])) {
      events = this.stack.events.forRequests({ requestIds: requests.map((r) => r.requestId) });
    } else {
      // Gateway without correlation headers: fall back to this identity's token and the time window.
      const tokenId = this.stack.identity(identity).sealTokenId;
      events = tokenId ? this.stack.events.forRequests({ tokenId, sinceMs: o.sinceMs }) : [];
    }
    const evidence: ChainEvidence = { events: events.map(toObserved), requests };

    const lastRequest = [...events]
      .reverse()
      .find((e) => e.type === 'K8sAPIRequest' && e.fields.api_group !== DISCOVERY_GROUP);
    if (lastRequest && o.needChain) {
      const objectId = String(lastRequest.fields.request_object_id);
      const stored = await this.stack.readStoredResponse(objectId).catch(() => undefined);
      if (stored && stored.state === 2)
        evidence.response = { status: stored.status, body: stored.body, requestObjectId: objectId };
    }

    // The abort: read from the failed transaction on chain (the truth), else from the Status message.
    const failedTx = [...run.http]
      .reverse()
      .find((x) => (x.status ?? 0) >= 400 && x.headers[GATEWAY_HEADERS.txDigest]);
    const digest = failedTx?.headers[GATEWAY_HEADERS.txDigest];
    if (digest) {
      const onChain = await this.stack.abortOfTransaction(digest).catch(() => undefined);
      const info = onChain ? lookupAbort(onChain.code) : undefined;
      if (onChain && info) evidence.abort = { name: info.name, code: onChain.code, txDigest: digest };
    }
    if (!evidence.abort) {
      const fromText = abortFromStderr(run.stderr);
      if (fromText) evidence.abort = fromText;
    }
    return evidence;
  }

  async readClusterObject(ref: {
    apiVersion: string;
    kind: string;
    name: string;
    namespace: string;
  }): Promise<unknown> {
    try {
      return await this.objects.read({
        apiVersion: ref.apiVersion,
        kind: ref.kind,
        metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
      });
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw err;
    }
  }

  async createNamespace(name: string): Promise<void> {
    try {
      await this.core.createNamespace({
        body: { metadata: { name, labels: { 'k3s-daas.io/harness': 'true' } } },
      });
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 409)) throw err;
    }
  }

  async deleteNamespace(name: string): Promise<void> {
    await this.core.deleteNamespace({ name }).catch(() => {});
  }

  async action(action: StackAction): Promise<void> {
    if (action === 'stop-executor' || action === 'restart-executor') await this.stack.listener.stop();
    if (action === 'start-executor' || action === 'restart-executor') await this.stack.listener.start();
  }

  async listenerHops(requestId: string): Promise<Record<string, number> | undefined> {
    const base = this.stack.listener.healthUrl.replace(/\/healthz$/, '');
    try {
      const res = await fetch(`${base}/traces/${encodeURIComponent(requestId)}`, {
        signal: AbortSignal.timeout(1_000),
      });
      if (!res.ok) return undefined;
      const t = (await res.json()) as { durations?: Record<string, unknown> };
      const out = Object.fromEntries(
        Object.entries(t.durations ?? {}).filter(([, v]) => typeof v === 'number'),
      ) as Record<string, number>;
      return Object.keys(out).length ? out : undefined;
    } catch {
      return undefined;
    }
  }

  async audit(requests: AuditedRequest[]): Promise<string[]> {
    const onChain = requests.filter((r) => !r.refused);
    await this.stack.events.waitFor(
      () => onChain.every((r) => this.answered(r)),
      this.opts.chainWaitMs ?? 10_000,
    );
    const problems: string[] = [];
    for (const r of onChain) {
      const req = this.chainRequestFor(r);
      if (!req) {
        problems.push(
          `${r.command}: request ${r.requestId} (HTTP ${r.httpStatus}) has no K8sAPIRequest event on chain`,
        );
        continue;
      }
      const objectId = String(req.fields.request_object_id);
      const resp = this.stack.events
        .all()
        .find((e) => e.type === 'K8sAPIResponse' && e.fields.request_object_id === objectId);
      if (!resp) {
        problems.push(`${r.command}: request ${r.requestId} has no K8sAPIResponse event`);
        continue;
      }
      const stored = await this.stack
        .readStoredResponse(objectId)
        .catch((e: unknown) => (e as Error).message);
      if (typeof stored === 'string')
        problems.push(`${r.command}: Request ${objectId} unreadable: ${stored}`);
      else if (stored.state !== 2)
        problems.push(`${r.command}: Request ${objectId} not answered (state ${stored.state})`);
      else if (r.httpStatus !== undefined && stored.status !== r.httpStatus)
        problems.push(
          `${r.command}: kubectl got HTTP ${r.httpStatus} but the chain stored ${stored.status} for ${objectId}`,
        );
    }
    return problems;
  }

  get snapshotCluster(): (() => Promise<string>) | undefined {
    return this.stack.cluster.snapshot?.bind(this.stack.cluster);
  }
  get revertCluster(): ((id: string) => Promise<void>) | undefined {
    return this.stack.cluster.revert?.bind(this.stack.cluster);
  }
}
