/**
 * Every builder against the Move signatures parsed from the source: the
 * function exists, the argument count and kinds (object / pure / built in the
 * transaction) match, and no pure argument exceeds Sui's 16,384-byte limit.
 */
import { readFileSync } from 'node:fs';
import { bcs } from '@mysten/sui/bcs';
import { Transaction } from '@mysten/sui/transactions';
import { describe, expect, it } from 'vitest';
import { sha256 } from './body-codec.ts';
import * as calls from './calls.ts';
import { MOVE_SOURCE } from './gen-aborts.ts';
import { MAX_PAYLOAD_LIMIT, SUI_MAX_PURE_ARGUMENT_BYTES } from './limits.ts';
import type { ClusterConfig, RbacRule } from './types.ts';

const PKG = '0x' + '42'.repeat(32);
const CLUSTER = '0x' + 'c1'.repeat(32);
const CAP = '0x' + 'ca'.repeat(32);
const TOKEN = '0x' + '70'.repeat(32);
const REQUEST = '0x' + 'ee'.repeat(32);
const ALICE = '0x' + 'a1'.repeat(32);
const EXECUTOR = '0x' + 'e0'.repeat(32);
const ADMISSION = '0x' + 'ad'.repeat(32);
const KS1 = '0x' + '51'.repeat(32);
const KS2 = '0x' + '52'.repeat(32);

type Kind = 'object' | 'pure' | 'built';

/** Move public functions → the kind of PTB argument each parameter needs (TxContext excluded). */
function moveSignatures(): Map<string, Kind[]> {
  const source = readFileSync(MOVE_SOURCE, 'utf8');
  const out = new Map<string, Kind[]>();
  for (const m of source.matchAll(/(#\[test_only\]\s*)?public fun (\w+)\(([^)]*)\)\s*(:[^{]+)?\{/g)) {
    // Test-only helpers and read accessors (they return a value) are not transaction entry points.
    if (m[1] || (m[4] && m[2] !== 'new_rule')) continue;
    const name = m[2] ?? '';
    const params = (m[3] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => p.split(':').slice(1).join(':').trim())
      .filter((t) => !t.includes('TxContext'));
    out.set(
      name,
      params.map((t): Kind => {
        if (
          t.startsWith('&') ||
          t.startsWith('Coin<') ||
          ['Request', 'SealToken', 'Executor', 'ExecutorCap'].includes(t)
        )
          return 'object';
        if (t === 'vector<Rule>' || t === 'vector<vector<u8>>') return 'built';
        return 'pure';
      }),
    );
  }
  return out;
}
const signatures = moveSignatures();

const config: ClusterConfig = {
  minWriteStake: 100n,
  minExecutorStake: 1000n,
  requestFee: 10n,
  maxPayloadBytes: 112_000,
  maxResponseBytes: 240_000,
  claimLeaseMs: 30_000,
  maxHoldMs: 60_000,
  executorUnbondingMs: 60_000,
  stakeCooldownMs: 10_000,
  slashPenalty: 5n,
};
const rule: RbacRule = {
  verbs: ['get'],
  apiGroups: [''],
  resources: ['pods'],
  namespaces: ['dev'],
  resourceNames: [],
};
const request = {
  verb: 'get',
  apiGroup: '',
  version: 'v1',
  resource: 'pods',
  subresource: '',
  namespace: 'dev',
  name: 'web',
  query: '',
};

type Builder = (tx: Transaction) => unknown;
const builders: Record<string, Builder> = {
  create_cluster: (tx) =>
    calls.createCluster(tx, PKG, {
      name: 'prod',
      config,
      confidentiality: { mode: 'seal', keyServers: [KS1, KS2], threshold: 2 },
    }),
  set_key_servers: (tx) =>
    calls.setKeyServers(tx, PKG, { adminCap: CAP, cluster: CLUSTER, keyServers: [KS1], threshold: 1 }),
  remove_executor: (tx) =>
    calls.removeExecutor(tx, PKG, { adminCap: CAP, cluster: CLUSTER, executor: EXECUTOR }),
  configure: (tx) => calls.configure(tx, PKG, { adminCap: CAP, cluster: CLUSTER, config }),
  set_paused: (tx) => calls.setPaused(tx, PKG, { adminCap: CAP, cluster: CLUSTER, paused: true }),
  withdraw_slashed: (tx) => calls.withdrawSlashed(tx, PKG, { adminCap: CAP, cluster: CLUSTER, amount: 5 }),
  new_rule: (tx) => calls.newRule(tx, PKG, rule),
  issue_seal_token: (tx) =>
    calls.issueSealToken(tx, PKG, {
      adminCap: CAP,
      cluster: CLUSTER,
      recipient: ALICE,
      label: 'alice',
      rules: [rule, rule],
      expiresAtMs: 0,
    }),
  revoke_seal_token: (tx) =>
    calls.revokeSealToken(tx, PKG, { adminCap: CAP, cluster: CLUSTER, tokenId: TOKEN }),
  stake_seal_token: (tx) => calls.stakeSealToken(tx, PKG, { token: TOKEN, coin: 500n }),
  unstake_seal_token: (tx) => calls.unstakeSealToken(tx, PKG, { cluster: CLUSTER, token: TOKEN, amount: 5 }),
  withdraw_unstaked: (tx) => calls.withdrawUnstaked(tx, PKG, { token: TOKEN }),
  destroy_seal_token: (tx) => calls.destroySealToken(tx, PKG, { token: TOKEN }),
  admit_executor: (tx) => calls.admitExecutor(tx, PKG, { adminCap: CAP, cluster: CLUSTER, account: ALICE }),
  register_executor: (tx) =>
    calls.registerExecutor(tx, PKG, {
      cluster: CLUSTER,
      admission: ADMISSION,
      signingKey: new Uint8Array(32),
      stake: 1000,
    }),
  deregister_executor: (tx) => calls.deregisterExecutor(tx, PKG, { cluster: CLUSTER, executor: EXECUTOR }),
  withdraw_executor_stake: (tx) => calls.withdrawExecutorStake(tx, PKG, { executor: EXECUTOR }),
  slash_executor: (tx) =>
    calls.slashExecutor(tx, PKG, {
      adminCap: CAP,
      cluster: CLUSTER,
      executor: EXECUTOR,
      amount: 1,
      note: 'why',
    }),
  slash_lapsed_claim: (tx) =>
    calls.slashLapsedClaim(tx, PKG, { cluster: CLUSTER, executor: EXECUTOR, request: REQUEST }),
  slash_equivocation: (tx) =>
    calls.slashEquivocation(tx, PKG, {
      cluster: CLUSTER,
      executor: EXECUTOR,
      a: { intent: new Uint8Array(120), signature: new Uint8Array(64) },
      b: { intent: new Uint8Array(120), signature: new Uint8Array(64) },
    }),
  execute_kubectl_command_with_id: (tx) =>
    calls.executeKubectlCommand(tx, PKG, {
      ...request,
      cluster: CLUSTER,
      token: TOKEN,
      requestId: 'r1',
      contentType: 'application/json',
      accept: 'application/json',
      contentEncoding: '',
      payload: new Uint8Array(40_000).fill(7),
      fee: 10n,
    }),
  claim_request: (tx) =>
    calls.claimRequest(tx, PKG, { cluster: CLUSTER, executor: EXECUTOR, request: REQUEST }),
  append_response_chunks: (tx) =>
    calls.appendResponseChunks(tx, PKG, {
      cluster: CLUSTER,
      executor: EXECUTOR,
      request: REQUEST,
      chunks: [new Uint8Array(16_000)],
    }),
  store_k8s_response: (tx) =>
    calls.storeK8sResponse(tx, PKG, {
      cluster: CLUSTER,
      executor: EXECUTOR,
      request: REQUEST,
      statusCode: 200,
      contentType: 'application/json',
      contentEncoding: '',
      chunks: [new Uint8Array([1, 2])],
      totalSize: 2,
      digest: sha256(new Uint8Array([1, 2])),
      segmentTxDigests: [],
      signedAtMs: 1,
      signature: new Uint8Array(64),
    }),
  close_request: (tx) => calls.closeRequest(tx, PKG, { request: REQUEST }),
  cancel_request: (tx) => calls.cancelRequest(tx, PKG, { request: REQUEST }),
};

type Arg = { $kind: string; Input?: number; type?: string };
type Command = {
  $kind: string;
  MoveCall?: { package: string; module: string; function: string; arguments: Arg[] };
};

function lastMoveCall(tx: Transaction) {
  const data = tx.getData();
  const commands = data.commands as unknown as Command[];
  const call = [...commands].reverse().find((c) => c.$kind === 'MoveCall')?.MoveCall;
  if (!call) throw new Error('no MoveCall');
  return { call, data };
}

function kindOf(arg: Arg, inputs: ReturnType<Transaction['getData']>['inputs']): Kind {
  if (arg.$kind === 'Input' && arg.Input !== undefined) {
    const input = inputs[arg.Input];
    return input?.$kind === 'Pure' ? 'pure' : 'object';
  }
  return arg.$kind === 'GasCoin' ? 'object' : 'built';
}

describe('call builders follow the Move ABI', () => {
  it('there is a builder for every public entry function (read accessors excluded)', () => {
    expect([...signatures.keys()].sort()).toEqual(Object.keys(builders).sort());
  });

  for (const [fn, build] of Object.entries(builders)) {
    it(`${fn}: target, argument count and kinds`, () => {
      const tx = new Transaction();
      build(tx);
      const { call, data } = lastMoveCall(tx);
      expect(call.module).toBe('k8s_gateway');
      expect(call.function).toBe(fn);
      expect(call.package).toBe(PKG);
      const kinds = call.arguments.map((a) => kindOf(a, data.inputs));
      // A coin split from gas is a command result standing for an object.
      const expected = signatures
        .get(fn)
        ?.map((k, i) => (k === 'object' && kinds[i] === 'built' ? 'built' : k));
      expect(kinds).toEqual(expected);
      for (const input of data.inputs) {
        if (input.$kind === 'Pure')
          expect(Buffer.from(input.Pure.bytes, 'base64').length).toBeLessThanOrEqual(
            SUI_MAX_PURE_ARGUMENT_BYTES,
          );
      }
    });
  }
});

describe('payload chunking', () => {
  it('splits the payload into ≤16,000-byte pure arguments gathered by MakeMoveVec, with its sha256 digest', () => {
    const tx = new Transaction();
    const payload = new Uint8Array(40_000).map((_, i) => i % 251);
    calls.executeKubectlCommand(tx, PKG, {
      ...request,
      verb: 'create',
      cluster: CLUSTER,
      token: TOKEN,
      requestId: 'r1',
      contentType: 'application/json',
      accept: '',
      contentEncoding: '',
      payload,
      fee: 10n,
    });
    const data = tx.getData();
    const commands = data.commands as unknown as {
      $kind: string;
      MakeMoveVec?: { type: string | null; elements: Arg[] };
    }[];
    const vec = commands.find((c) => c.$kind === 'MakeMoveVec')?.MakeMoveVec;
    expect(vec?.type).toBe('vector<u8>');
    const chunks = (vec?.elements ?? []).map((e) => {
      const input = data.inputs[e.Input ?? -1];
      if (input?.$kind !== 'Pure') throw new Error('chunk is not a pure input');
      return Uint8Array.from(bcs.vector(bcs.u8()).parse(Buffer.from(input.Pure.bytes, 'base64')));
    });
    expect(chunks.map((c) => c.length)).toEqual([16_000, 16_000, 8_000]);
    expect(Buffer.compare(Buffer.concat(chunks), payload)).toBe(0);
    const { call } = lastMoveCall(tx);
    const digestArg = call.arguments[17];
    const digestInput = data.inputs[digestArg?.Input ?? -1];
    if (digestInput?.$kind !== 'Pure') throw new Error('digest is not pure');
    expect(
      Uint8Array.from(bcs.vector(bcs.u8()).parse(Buffer.from(digestInput.Pure.bytes, 'base64'))),
    ).toEqual(sha256(payload));
  });

  it('refuses payloads over the contract limit and bad priorities before building', () => {
    const base = {
      ...request,
      cluster: CLUSTER,
      token: TOKEN,
      requestId: 'r',
      contentType: '',
      accept: '',
      contentEncoding: '',
      fee: 1n,
    };
    expect(() =>
      calls.executeKubectlCommand(new Transaction(), PKG, {
        ...base,
        payload: new Uint8Array(MAX_PAYLOAD_LIMIT + 1),
      }),
    ).toThrow(/exceeds the contract limit/);
    expect(() =>
      calls.executeKubectlCommand(new Transaction(), PKG, {
        ...base,
        payload: new Uint8Array(),
        priority: 256,
      }),
    ).toThrow(/priority/);
    expect(() => calls.chunksArg(new Transaction(), [new Uint8Array(16_001)])).toThrow(/exceeds 16000 bytes/);
  });

  it('an empty chunk list is a typed empty vector', () => {
    const tx = new Transaction();
    calls.chunksArg(tx, []);
    const command = tx.getData().commands[0] as unknown as {
      MakeMoveVec: { type: string; elements: unknown[] };
    };
    expect(command.MakeMoveVec).toEqual({ type: 'vector<u8>', elements: [] });
  });
});
