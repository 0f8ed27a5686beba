import { describe, expect, it } from 'vitest';
import { RequestState } from '../contract/types.ts';
import { DISCOVERY_GROUP } from '../k8s/discovery-fields.ts';
import {
  CLAIM_RESULTS,
  JOURNAL_PHASES,
  REQUEST_STATES,
  VERB_CLASSES,
  afterRecoveryClaim,
  afterWriteClaim,
  decide,
  journalView,
  requestView,
  verbClassOf,
  type Action,
  type JournalView,
  type RequestView,
  type VerbClass,
} from './protocol.ts';

/**
 * The whole table, written out independently of protocol.ts: one row per (journal, request
 * state), one code per verb class in the order read, discovery, write, watch, create (a named
 * create tagged with the request id: re-run after a restart, never answered "may have run").
 *   F  forget               Fa forget, counted as answered
 *   W  wait                 Wl wait, counted as lease held
 *   R  read the request first
 *   X  execute, then claim+store in one transaction
 *   C  claim, then execute (journaled)
 *   S  store the recorded answer (never re-run)
 *   M  answer 500 "may have run" after a restart (never run)
 *   Mt answer 500 "may have run": our claim landed but its outcome (a takeover?) was lost
 */
const TABLE: Record<JournalView, Record<RequestView, string>> = {
  none: {
    unread: 'X X C X C',
    open: 'X X C X C',
    'claimed-by-me': 'X X C X C',
    'claimed-by-other': 'Wl Wl Wl Wl Wl',
    'lease-lapsed': 'X X C X C',
    answered: 'Fa Fa Fa Fa Fa',
    'not-visible': 'W W W W W',
    gone: 'F F F F F',
  },
  claimed: {
    unread: 'R R R R R',
    open: 'X X C X C',
    'claimed-by-me': 'X X Mt X C',
    'claimed-by-other': 'Wl Wl Wl Wl Wl',
    'lease-lapsed': 'X X C X C',
    answered: 'Fa Fa Fa Fa Fa',
    'not-visible': 'W W W W W',
    gone: 'F F F F F',
  },
  executing: {
    unread: 'R R R R R',
    open: 'X X M X C',
    'claimed-by-me': 'X X M X C',
    'claimed-by-other': 'Wl Wl Wl Wl Wl',
    'lease-lapsed': 'X X M X C',
    answered: 'Fa Fa Fa Fa Fa',
    'not-visible': 'W W W W W',
    gone: 'F F F F F',
  },
  executed: {
    unread: 'R R R R R',
    open: 'S S S S S',
    'claimed-by-me': 'S S S S S',
    'claimed-by-other': 'Wl Wl Wl Wl Wl',
    'lease-lapsed': 'S S S S S',
    answered: 'Fa Fa Fa Fa Fa',
    'not-visible': 'W W W W W',
    gone: 'F F F F F',
  },
  stored: {
    unread: 'F F F F F',
    open: 'F F F F F',
    'claimed-by-me': 'F F F F F',
    'claimed-by-other': 'F F F F F',
    'lease-lapsed': 'F F F F F',
    answered: 'F F F F F',
    'not-visible': 'F F F F F',
    gone: 'F F F F F',
  },
};

function code(a: Action): string {
  switch (a.kind) {
    case 'forget':
      return a.reason === 'answered' ? 'Fa' : 'F';
    case 'wait':
      return a.reason === 'lease_held' ? 'Wl' : 'W';
    case 'read-request':
      return 'R';
    case 'execute-then-claim-and-store':
      return 'X';
    case 'claim-then-execute':
      return 'C';
    case 'store-recorded':
      return 'S';
    case 'answer-may-have-run':
      return a.cause === 'restart' ? 'M' : 'Mt';
  }
}

const cells = JOURNAL_PHASES.flatMap((j) =>
  REQUEST_STATES.flatMap((s) => VERB_CLASSES.map((v) => [j, s, v] as [JournalView, RequestView, VerbClass])),
);

describe('protocol decision table', () => {
  it('has 5 journal phases × 8 request states × 5 verb classes = 200 cells', () => {
    expect(cells).toHaveLength(200);
  });

  it.each(cells)('journal %s × request %s × %s', (j, s, v) => {
    const expected = TABLE[j][s].split(' ')[VERB_CLASSES.indexOf(v)];
    expect(code(decide(j, s, v))).toBe(expected);
  });

  it('never runs a write that may have run: only a write never started here is claimed to run', () => {
    for (const [j, s, v] of cells) {
      const a = decide(j, s, v);
      if (v === 'write') expect(a.kind).not.toBe('execute-then-claim-and-store');
      if (a.kind === 'claim-then-execute' && v === 'write') expect(['none', 'claimed']).toContain(j);
      // a create is re-run (tagged, so the re-run finds the first run's object), never answered "may have run"
      if (v === 'create') expect(a.kind).not.toBe('answer-may-have-run');
      // a write journaled as started (or answered) is never run again
      if (v === 'write' && (j === 'executing' || j === 'executed')) {
        expect(a.kind).not.toBe('claim-then-execute');
        expect(a.kind).not.toBe('execute-then-claim-and-store');
      }
    }
  });

  it('never acts on a request another executor holds, or one answered or gone', () => {
    for (const [j, s, v] of cells) {
      if (!['claimed-by-other', 'answered', 'gone', 'not-visible'].includes(s)) continue;
      expect(['forget', 'wait']).toContain(decide(j, s, v).kind);
    }
  });

  it('checks the chain before acting on anything journaled', () => {
    for (const j of JOURNAL_PHASES)
      for (const v of VERB_CLASSES) {
        const kind = decide(j, 'unread', v).kind;
        if (j === 'none') expect(kind).not.toBe('read-request');
        else if (j === 'stored') expect(kind).toBe('forget');
        else expect(kind).toBe('read-request');
      }
  });
});

describe('after a claim', () => {
  it.each(CLAIM_RESULTS)('a write never started here, claim %s', (c) => {
    const expected = {
      claimed: { kind: 'execute-journaled' },
      // takeover: the previous holder may have run it → answer, never execute
      'took-over': { kind: 'answer-may-have-run', cause: 'takeover' },
      'held-by-other': { kind: 'wait', reason: 'lease_held' },
      answered: { kind: 'forget', reason: 'answered' },
    }[c];
    expect(afterWriteClaim(c)).toEqual(expected);
  });

  it.each(CLAIM_RESULTS)('a named create, claim %s: a takeover re-runs it (tagged)', (c) => {
    const expected = {
      claimed: { kind: 'execute-journaled' },
      'took-over': { kind: 'execute-journaled' },
      'held-by-other': { kind: 'wait', reason: 'lease_held' },
      answered: { kind: 'forget', reason: 'answered' },
    }[c];
    expect(afterWriteClaim(c, 'create')).toEqual(expected);
  });

  it.each(CLAIM_RESULTS)('an answer decided before a restart, claim %s', (c) => {
    const expected = {
      claimed: { kind: 'store' },
      'took-over': { kind: 'store' },
      'held-by-other': { kind: 'wait', reason: 'lease_held' },
      answered: { kind: 'forget', reason: 'answered' },
    }[c];
    expect(afterRecoveryClaim(c)).toEqual(expected);
  });
});

describe('inputs of the table', () => {
  const me = '0x' + '1'.repeat(64);
  const other = '0x' + '2'.repeat(64);
  const ctx = { executorId: me, nowMs: 1_000, reconciling: false };
  const obj = (state: number, claimant: string, lease: number) => ({
    state,
    claimant,
    lease_expires_at_ms: String(lease),
  });

  it('reads the request state', () => {
    expect(requestView('unread', ctx)).toBe('unread');
    expect(requestView(undefined, ctx)).toBe('not-visible');
    expect(requestView(undefined, { ...ctx, reconciling: true })).toBe('gone');
    expect(requestView(obj(RequestState.Open, '0x0', 0), ctx)).toBe('open');
    expect(requestView(obj(RequestState.Answered, me, 5_000), ctx)).toBe('answered');
    expect(requestView(obj(RequestState.Claimed, me, 0), ctx)).toBe('claimed-by-me');
    expect(requestView(obj(RequestState.Claimed, other, 1_001), ctx)).toBe('claimed-by-other');
    // the contract lets another executor take over once now >= lease_expires_at_ms
    expect(requestView(obj(RequestState.Claimed, other, 1_000), ctx)).toBe('lease-lapsed');
  });

  it('reads the journal', () => {
    const e = (phase: 'claimed' | 'executing' | 'executed' | 'stored', response?: boolean) => ({
      requestObjectId: me,
      requestId: 'r',
      phase,
      at: 0,
      ...(response ? { response: { statusCode: 201, contentType: 'application/json', bodyBase64: '' } } : {}),
    });
    expect(journalView(undefined)).toBe('none');
    expect(journalView(e('claimed'))).toBe('claimed');
    expect(journalView(e('executing'))).toBe('executing');
    expect(journalView(e('executed', true))).toBe('executed');
    // an `executed` record without its answer has nothing to store
    expect(journalView(e('executed'))).toBe('claimed');
    expect(journalView(e('stored'))).toBe('stored');
  });

  it('classifies verbs', () => {
    expect(verbClassOf({ verb: 'get', apiGroup: '' })).toBe('read');
    expect(verbClassOf({ verb: 'list', apiGroup: 'apps' })).toBe('read');
    expect(verbClassOf({ verb: 'watch', apiGroup: '' })).toBe('watch');
    for (const verb of ['create', 'update', 'patch', 'delete', 'deletecollection', 'escalate'])
      expect(verbClassOf({ verb, apiGroup: '' })).toBe('write');
    expect(verbClassOf({ verb: 'get', apiGroup: DISCOVERY_GROUP })).toBe('discovery');
    expect(verbClassOf({ verb: 'create', apiGroup: '' }, true)).toBe('create');
    expect(verbClassOf({ verb: 'update', apiGroup: '' }, true)).toBe('write');
  });
});
