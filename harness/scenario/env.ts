import type { ObservedEvent } from './assertions.ts';
import type { KubectlResult } from './kubectl.ts';
import type { ClusterObjectRef, StackAction } from './types.ts';

/**
 * What the runner needs from a running system. `StackEnv` (stack-env.ts) implements it on a
 * real stack; runner unit tests use a scripted implementation to exercise control flow.
 */
export interface ScenarioEnv {
  /** Runs the real kubectl as a stack identity (by stack name). */
  kubectl(
    identity: string,
    args: string[],
    opts: { stdin?: string; cwd: string; timeoutMs?: number; until?: { stdout: RegExp; timeoutMs: number } },
  ): Promise<KubectlResult>;
  /**
   * What the chain recorded for one kubectl run: its events (in chain order), the stored
   * response of its last request, and the contract abort behind a failure.
   */
  evidence(
    run: KubectlResult,
    identity: string,
    opts: { sinceMs: number; needChain: boolean },
  ): Promise<ChainEvidence>;
  /** Reads an object straight from the cluster; undefined when it does not exist. */
  readClusterObject(
    ref: Required<Pick<ClusterObjectRef, 'kind' | 'name'>> & { apiVersion: string; namespace: string },
  ): Promise<unknown>;
  createNamespace(name: string): Promise<void>;
  deleteNamespace(name: string): Promise<void>;
  action(action: StackAction): Promise<void>;
  /** Checks that each request is on chain with its response; returns problems (empty = fine). */
  audit(requests: AuditedRequest[]): Promise<string[]>;
  /** The listener's own per-hop durations (ms) for a request id, when it exposes them. */
  listenerHops?(requestId: string): Promise<Record<string, number> | undefined>;
  /** Cluster snapshot/revert for `isolation: snapshot`, when the backend has it. */
  snapshotCluster?(): Promise<string>;
  revertCluster?(id: string): Promise<void>;
}

export interface ChainEvidence {
  events: ObservedEvent[];
  response?: { status: number; body: unknown; requestObjectId: string };
  abort?: { name: string; code?: number; txDigest?: string };
  /** Request ids the gateway reported, with digests, for the audit and reports. */
  requests: AuditedRequest[];
}

export interface AuditedRequest {
  requestId: string;
  txDigest?: string;
  /** HTTP status kubectl received for it. */
  httpStatus?: number;
  /** True when the contract refused it (no event is expected). */
  refused: boolean;
  /**
   * A watch window: its response is recorded when the window closes, which for a watch kubectl
   * left at once (rollout status of a finished rollout) is the listener's full window.
   */
  watch?: boolean;
  identity: string;
  command: string;
}
