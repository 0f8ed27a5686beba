/**
 * What the HTTP front of the gateway needs from the chain: run one
 * structured request through the contract and return the stored response.
 * The production implementation is SuiChainPort (sui-chain-port.ts).
 */
import type { Identity } from '../shared/identities.ts';
import type { K8sRequestFields } from '../k8s/request.ts';
import type { K8sStatus } from '../k8s/status.ts';
import type { Trace } from '../shared/trace.ts';
import type { Impersonation } from './impersonation.ts';

export interface ChainRequest {
  identity: Identity;
  requestId: string;
  fields: K8sRequestFields;
  /** contract `content_type` and `accept` fields (see shared/media.ts) */
  media: { contentType: string; accept: string };
  body: Buffer;
  trace: Trace;
  /** human description used in error messages, e.g. "create pods in namespace default" */
  description: string;
  /** kubectl --as / --as-group, for the contract to check and record. */
  impersonate?: Impersonation;
  /** Called once the contract accepted and recorded the request, before its response exists. */
  onRecorded?: (txDigest: string) => void;
}

export type ChainOutcome =
  | {
      kind: 'response';
      txDigest: string;
      requestObjectId: string;
      statusCode: number;
      contentType: string;
      /** already decoded (gzip removed) */
      body: Buffer;
    }
  | { kind: 'status'; status: K8sStatus; txDigest?: string };

/** The contract's verdict on a request it was not sent (kubectl auth can-i). */
export interface Authorization {
  allowed: boolean;
  /** Why not: the contract's check that failed, with its message. */
  reason: string;
}

/** What a SealToken allows (kubectl auth can-i --list). */
export interface TokenRules {
  rules: Array<{
    verbs: string[];
    apiGroups: string[];
    resources: string[];
    namespaces: string[];
    resourceNames: string[];
  }>;
  /** Set when the token is refused outright (expired, revoked, wrong cluster, paused): no rule applies. */
  refused?: string;
  /** The token's stake is below the cluster's minimum for writes: write verbs do not apply. */
  writesNeedStake?: { minimum: bigint; staked: bigint };
}

/** One readiness check (`/readyz`): what the gateway needs from the chain to serve kubectl. */
export interface ReadinessCheck {
  name: string;
  ok: boolean;
  /** Why it failed, and what to do. */
  reason?: string;
}

export interface ChainPort {
  execute(req: ChainRequest): Promise<ChainOutcome>;
  /** Would the contract accept this request now? Simulated: nothing is recorded or paid. */
  authorize?(req: Pick<ChainRequest, 'identity' | 'fields'>): Promise<Authorization>;
  /** The identity's SealToken rules as the contract applies them now. */
  tokenRules?(identity: Identity): Promise<TokenRules>;
  /** Whether requests can be served now (chain reachable, cluster open, an executor registered). */
  readiness?(): Promise<ReadinessCheck[]>;
  close?(): Promise<void>;
}
