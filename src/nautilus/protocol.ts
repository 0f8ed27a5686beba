/**
 * The listener's protocol as a pure decision table: what to do with one request, given what the
 * local journal says, what the chain says about the request, and which kind of verb it is.
 * No I/O here; request-processor.ts performs the actions and protocol.test.ts checks every cell.
 *
 * Why the table looks like this (exactly once, with the contract's claims and leases):
 * - A write runs only after this executor holds the claim, and the journal records `executing`
 *   before and the answer (`executed`) after the Kubernetes call. A restart finding `executed`
 *   stores that answer; one finding only `executing` cannot know whether the call ran, so it
 *   answers 500 "ran at most once" and never runs it again.
 * - Taking a write over from a holder whose lease lapsed (the claim's `takeover`) is the same
 *   uncertainty seen from another executor: answer 500, never execute.
 * - "Answer 500" is settled first by a read (request-processor.ts): a tagged update or merge patch
 *   whose object carries the request's id provably ran and is answered 200 with it.
 * - Except a named create (`create`): it carries the request's id (write-tag.ts), Kubernetes
 *   refuses a second object of its name, and a re-run refused with AlreadyExists finds its own
 *   object by the id: re-running it answers what the first run did, so after a restart or a
 *   takeover it is re-run (journaled) and the answer is definite.
 * - Reads (get/list), discovery and watch windows are harmless to run twice: they run first and
 *   are claimed and stored in one transaction (a lost race costs a wasted read only).
 */
import { READ_VERBS } from '../contract/types.ts';
import { isDiscoveryFields } from '../k8s/discovery-fields.ts';
import type { RequestObject } from '../contract/bcs.ts';
import { RequestState } from '../contract/types.ts';
import type { JournalEntry } from './state-store.ts';

/**
 * What the local journal holds for the request. `claimed`: a claim of a write was sent, its
 * outcome not yet journaled. `executed` counts only with a recorded answer (one without is read
 * as `claimed`: nothing to store, and nothing known about the claim).
 */
export const JOURNAL_PHASES = ['none', 'claimed', 'executing', 'executed', 'stored'] as const;
export type JournalView = (typeof JOURNAL_PHASES)[number];

/**
 * The request's on-chain state as this executor sees it.
 * - `unread`: not looked up (a fresh event, nothing journaled): the claim transaction finds out.
 * - `not-visible`: the object could not be read outside a reconcile (not visible yet on this node).
 * - `gone`: the reconciler could not read it (closed, deleted).
 */
export const REQUEST_STATES = [
  'unread',
  'open',
  'claimed-by-me',
  'claimed-by-other',
  'lease-lapsed',
  'answered',
  'not-visible',
  'gone',
] as const;
export type RequestView = (typeof REQUEST_STATES)[number];

/** `create`: a named create the listener tags with the request id (write-tag.ts); `write`: any other write. */
export const VERB_CLASSES = ['read', 'discovery', 'write', 'watch', 'create'] as const;
export type VerbClass = (typeof VERB_CLASSES)[number];

/** Why the 500 "it ran at most once" answer is given instead of running a write. */
export type MayHaveRunCause = 'restart' | 'takeover';

export type Action =
  /** Done with it: forget it locally (journal, open set). `reason` is counted as skipped. */
  | { kind: 'forget'; reason?: 'answered' }
  /** Leave it open; the reconciler looks again (after the other executor's lease). */
  | { kind: 'wait'; reason?: 'lease_held' }
  /** The chain state is needed first: read the request, then decide again. */
  | { kind: 'read-request' }
  /** Run it, then claim and store the answer in one transaction. */
  | { kind: 'execute-then-claim-and-store' }
  /** Claim it, then act on the claim's outcome (see afterWriteClaim). */
  | { kind: 'claim-then-execute' }
  /** Store the answer recorded before a restart (claim first unless we hold it). Never re-run. */
  | { kind: 'store-recorded' }
  /** Store a 500 saying it may have run (claim first unless we hold it). Never run it. */
  | { kind: 'answer-may-have-run'; cause: MayHaveRunCause };

export type ActionKind = Action['kind'];

/** The journal as the table reads it. */
export function journalView(entry: JournalEntry | undefined): JournalView {
  if (!entry) return 'none';
  if (entry.phase === 'executed') return entry.response ? 'executed' : 'claimed';
  return entry.phase;
}

/**
 * The request's state as the table reads it: `obj` is the Request object, undefined when it
 * could not be read, or 'unread' when it was not looked up.
 */
export function requestView(
  obj: Pick<RequestObject, 'state' | 'claimant' | 'lease_expires_at_ms'> | undefined | 'unread',
  ctx: { executorId: string; nowMs: number; reconciling: boolean },
): RequestView {
  if (obj === 'unread') return 'unread';
  if (!obj) return ctx.reconciling ? 'gone' : 'not-visible';
  if (obj.state === RequestState.Answered) return 'answered';
  if (obj.state === RequestState.Claimed) {
    if (obj.claimant === ctx.executorId) return 'claimed-by-me';
    return Number(obj.lease_expires_at_ms) > ctx.nowMs ? 'claimed-by-other' : 'lease-lapsed';
  }
  return 'open';
}

const READS: ReadonlySet<string> = new Set(READ_VERBS);

/**
 * Discovery first (its verb is a get), then watch, then the other reads; anything else writes.
 * `namedCreate`: the request is a create whose body names its object (write-tag.ts `namedCreate`),
 * known only once the payload is.
 */
export function verbClassOf(f: { verb: string; apiGroup: string }, namedCreate = false): VerbClass {
  if (isDiscoveryFields(f)) return 'discovery';
  if (f.verb === 'watch') return 'watch';
  if (READS.has(f.verb)) return 'read';
  return namedCreate && f.verb === 'create' ? 'create' : 'write';
}

/** Reads, discovery and watches can run twice harmlessly (no claim needed first). */
export function isRepeatable(v: VerbClass): boolean {
  return v !== 'write' && v !== 'create';
}

/** Re-running it answers what an earlier run did (a tagged named create): no uncertainty to answer. */
export function isRerunnable(v: VerbClass): boolean {
  return v === 'create';
}

/** The decision table: (journal phase × request state × verb class) → action. */
export function decide(journal: JournalView, request: RequestView, verb: VerbClass): Action {
  // Stored before: nothing left to do, whatever the chain says.
  if (journal === 'stored') return { kind: 'forget' };
  // Anything journaled is checked against the chain before acting on it.
  if (request === 'unread' && journal !== 'none') return { kind: 'read-request' };
  switch (request) {
    case 'answered':
      return { kind: 'forget', reason: 'answered' };
    case 'gone':
      return { kind: 'forget' };
    case 'not-visible':
      return { kind: 'wait' };
    case 'claimed-by-other':
      return { kind: 'wait', reason: 'lease_held' };
    case 'unread':
    case 'open':
    case 'claimed-by-me':
    case 'lease-lapsed':
      break;
  }
  if (journal === 'executed') return { kind: 'store-recorded' };
  if (!isRepeatable(verb)) {
    if (journal === 'executing' && !isRerunnable(verb))
      return { kind: 'answer-may-have-run', cause: 'restart' };
    // `claimed`: a claim was sent and its outcome never seen (a transport error, a crash). If it
    // landed — we hold it now — it may have been a takeover whose flag we lost: the previous
    // holder may have run it (found by the fuzzed model, protocol.fuzz.test.ts).
    if (journal === 'claimed' && request === 'claimed-by-me' && !isRerunnable(verb))
      return { kind: 'answer-may-have-run', cause: 'takeover' };
    return { kind: 'claim-then-execute' };
  }
  return { kind: 'execute-then-claim-and-store' };
}

/** What a claim transaction said (ELeaseHeld with this executor as claimant counts as `claimed`). */
export const CLAIM_RESULTS = ['claimed', 'took-over', 'held-by-other', 'answered'] as const;
export type ClaimResult = (typeof CLAIM_RESULTS)[number];

export type WriteStep =
  | { kind: 'execute-journaled' }
  | { kind: 'answer-may-have-run'; cause: 'takeover' }
  | { kind: 'wait'; reason: 'lease_held' }
  | { kind: 'forget'; reason: 'answered' };

/** After claiming a write (`claim-then-execute`): never started here, or a re-runnable create. */
export function afterWriteClaim(claim: ClaimResult, verb: VerbClass = 'write'): WriteStep {
  switch (claim) {
    case 'claimed':
      return { kind: 'execute-journaled' };
    case 'took-over':
      // The previous holder may have run it before its lease lapsed: running it again could apply
      // it twice — unless a re-run answers what the first run did (a tagged named create).
      return isRerunnable(verb)
        ? { kind: 'execute-journaled' }
        : { kind: 'answer-may-have-run', cause: 'takeover' };
    case 'held-by-other':
      return { kind: 'wait', reason: 'lease_held' };
    case 'answered':
      return { kind: 'forget', reason: 'answered' };
  }
}

export type RecoveryStep =
  { kind: 'store' } | { kind: 'wait'; reason: 'lease_held' } | { kind: 'forget'; reason: 'answered' };

/**
 * After claiming a request to store an answer decided before the claim (`store-recorded`,
 * `answer-may-have-run` after a restart): store it if we hold the claim, whoever held it before.
 */
export function afterRecoveryClaim(claim: ClaimResult): RecoveryStep {
  switch (claim) {
    case 'claimed':
    case 'took-over':
      return { kind: 'store' };
    case 'held-by-other':
      return { kind: 'wait', reason: 'lease_held' };
    case 'answered':
      return { kind: 'forget', reason: 'answered' };
  }
}

/** The 500 message of `answer-may-have-run`. */
export function mayHaveRunMessage(cause: MayHaveRunCause, verb: string, requestId: string): string {
  return cause === 'restart'
    ? `the executor restarted while running this ${verb}; it ran at most once — check the cluster state before retrying (request ${requestId})`
    : `the executor that claimed this ${verb} stopped answering before storing a result; it ran at most once — check the cluster state before retrying (request ${requestId})`;
}
