/**
 * Drives the real k8s_gateway bytecode through the VM the way the embedded
 * Sui node will: objects live (as BCS) in an InMemoryObjectRuntime, each call
 * is a "transaction" with its own digest, `&mut` objects are written back
 * from `result.mutated`. Used by the request-path test and `bench:vm`.
 */
import { createHash } from 'node:crypto';
import { bcs } from '@mysten/sui/bcs';
import { K8sAPIRequestBcs, answerIntentBytes } from '../../../../src/contract/index.ts';
import { AnswerSigner } from '../../../../src/nautilus/answer-signer.ts';
import { InMemoryObjectRuntime } from '../src/object-runtime.ts';
import type { CallArg, CallResult, MoveVM } from '../src/vm.ts';

export type FlowArg =
  | { obj: string } // by reference (& or &mut — the parameter decides)
  | { take: string } // by value: removed from the store
  | { coin: bigint } // a fresh Coin<SUI> with this value
  | { pure: Uint8Array };

export const CLOCK_ID = '0x' + '0'.repeat(63) + '6';

export class ObjectLedger {
  readonly runtime = new InMemoryObjectRuntime();
  private txCount = 0;
  private coinCount = 0;
  /** wall-clock ms of the last `vm.call` alone (no argument encoding or bookkeeping) */
  lastCallMs = 0;

  constructor(
    readonly vm: MoveVM,
    readonly pkg: string,
  ) {
    this.setClock(1_000_000n);
  }

  setClock(ms: bigint): void {
    const bytes = new Uint8Array([
      ...bcs.Address.serialize(CLOCK_ID).toBytes(),
      ...bcs.u64().serialize(ms).toBytes(),
    ]);
    this.runtime.objects.set(CLOCK_ID, {
      id: CLOCK_ID,
      type: '0x0000000000000000000000000000000000000000000000000000000000000002::clock::Clock',
      bcs: bytes,
      owner: { kind: 'shared' },
    });
  }

  /** IDs of objects whose type ends with `::module::Name` (optionally owned by `owner`). */
  find(typeSuffix: string, owner?: string): string[] {
    const out: string[] = [];
    for (const o of this.runtime.objects.values()) {
      if (!o.type.endsWith(typeSuffix)) continue;
      if (owner && !(o.owner.kind === 'address' && o.owner.address === owner)) continue;
      out.push(o.id);
    }
    return out;
  }

  call(sender: string, fn: string, args: FlowArg[], module = 'k8s_gateway'): CallResult {
    const digest = createHash('sha256').update(`tx-${this.txCount++}`).digest();
    this.runtime.nextTransaction(Uint8Array.from(digest), sender);
    const byRef = new Map<number, string>();
    const callArgs: CallArg[] = args.map((a, i) => {
      if ('pure' in a) return { bcs: a.pure };
      if ('coin' in a) {
        const id = '0x' + createHash('sha256').update(`coin-${this.coinCount++}`).digest('hex');
        return {
          bcs: new Uint8Array([
            ...bcs.Address.serialize(id).toBytes(),
            ...bcs.u64().serialize(a.coin).toBytes(),
          ]),
        };
      }
      const id = 'obj' in a ? a.obj : a.take;
      const o = this.runtime.objects.get(id);
      if (!o) throw new Error(`object ${id} is not in the ledger`);
      if ('take' in a) this.runtime.objects.delete(id);
      else byRef.set(i, id);
      return { bcs: o.bcs };
    });
    const t0 = performance.now();
    const r = this.vm.call({
      module: `${this.pkg}::${module}`,
      function: fn,
      args: callArgs,
      runtime: this.runtime,
    });
    this.lastCallMs = performance.now() - t0;
    for (const m of r.mutated) {
      const id = byRef.get(m.index);
      const o = id ? this.runtime.objects.get(id) : undefined;
      if (o) o.bcs = m.bcs;
    }
    return r;
  }
}

// BCS types built once (constructing @mysten/bcs types per call is costly)
const B = {
  str: bcs.string(),
  strs: bcs.vector(bcs.string()),
  u64: bcs.u64(),
  u32: bcs.u32(),
  u8: bcs.u8(),
  bytes: bcs.vector(bcs.u8()),
  chunks: bcs.vector(bcs.vector(bcs.u8())),
  rules: bcs.vector(
    bcs.struct('Rule', {
      verbs: bcs.vector(bcs.string()),
      api_groups: bcs.vector(bcs.string()),
      resources: bcs.vector(bcs.string()),
      namespaces: bcs.vector(bcs.string()),
      resource_names: bcs.vector(bcs.string()),
    }),
  ),
};

export const pure = {
  str: (s: string) => ({ pure: B.str.serialize(s).toBytes() }),
  strs: (xs: string[]) => ({ pure: B.strs.serialize(xs).toBytes() }),
  u64: (n: bigint | number) => ({ pure: B.u64.serialize(n).toBytes() }),
  u32: (n: number) => ({ pure: B.u32.serialize(n).toBytes() }),
  u8: (n: number) => ({ pure: B.u8.serialize(n).toBytes() }),
  addr: (a: string) => ({ pure: bcs.Address.serialize(a).toBytes() }),
  bytes: (b: Uint8Array | number[]) => ({ pure: B.bytes.serialize(Array.from(b)).toBytes() }),
  chunks: (c: Uint8Array[]) => ({ pure: B.chunks.serialize(c.map((x) => Array.from(x))).toBytes() }),
  rules: (
    rules: {
      verbs: string[];
      api_groups: string[];
      resources: string[];
      namespaces: string[];
      resource_names: string[];
    }[],
  ) => ({
    pure: B.rules.serialize(rules).toBytes(),
  }),
};

export const ADMIN = '0x' + 'ad'.repeat(32);
export const ALICE = '0x' + 'a1'.repeat(32);
export const EXECUTOR = '0x' + 'e0'.repeat(32);

export interface GatewaySetup {
  ledger: ObjectLedger;
  cluster: string;
  token: string;
  /** the executor's Executor object and answer-signing key */
  executor: string;
  signer: AnswerSigner;
}

/** create_cluster → issue_seal_token (all-verbs rule) → stake → admit_executor → register_executor. */
export function setupGateway(vm: MoveVM, pkg: string): GatewaySetup {
  const ledger = new ObjectLedger(vm, pkg);
  ledger.call(ADMIN, 'create_cluster', [
    pure.str('bench'),
    pure.u64(100), // min write stake
    pure.u64(100), // min executor stake
    pure.u64(10), // request fee
    pure.u64(112_000),
    pure.u64(240_000),
    pure.u64(60_000), // claim lease
    pure.u64(120_000), // max hold
    pure.u64(60_000), // executor unbonding
    pure.u64(10_000), // stake cooldown
    pure.u64(50), // slash penalty
    pure.u8(0), // confidentiality none (payloads in clear)
    pure.bytes([]), // no key servers (an empty vector<ID> has the bytes of an empty vector<u8>)
    pure.u8(0), // threshold
  ]);
  const cluster = ledger.find('::k8s_gateway::Cluster')[0]!;
  const cap = ledger.find('::k8s_gateway::AdminCap', ADMIN)[0]!;
  ledger.call(ADMIN, 'issue_seal_token', [
    { obj: cap },
    { obj: cluster },
    pure.addr(ALICE),
    pure.str('alice'),
    pure.rules([
      { verbs: ['*'], api_groups: ['*'], resources: ['*'], namespaces: ['*'], resource_names: [] },
    ]),
    pure.u64(0),
    { obj: CLOCK_ID },
  ]);
  const token = ledger.find('::k8s_gateway::SealToken', ALICE)[0]!;
  ledger.call(ALICE, 'stake_seal_token', [{ obj: token }, { coin: 1000n }]);
  ledger.call(ADMIN, 'admit_executor', [{ obj: cap }, { obj: cluster }, pure.addr(EXECUTOR)]);
  const admission = ledger.find('::k8s_gateway::ExecutorCap', EXECUTOR)[0]!;
  const signer = AnswerSigner.generate();
  ledger.call(EXECUTOR, 'register_executor', [
    { obj: cluster },
    { take: admission },
    pure.bytes(signer.publicKey),
    { coin: 1000n },
    { obj: CLOCK_ID },
  ]);
  const executor = ledger.find('::k8s_gateway::Executor')[0]!;
  return { ledger, cluster, token, executor, signer };
}

export function sha256(b: Uint8Array): Uint8Array {
  return Uint8Array.from(createHash('sha256').update(b).digest());
}

/** One kubectl request: `execute_kubectl_command_with_id`. */
export function executeRequest(s: GatewaySetup, requestId: string, payload: Uint8Array): CallResult {
  return s.ledger.call(ALICE, 'execute_kubectl_command_with_id', [
    { obj: s.cluster },
    { obj: s.token },
    pure.str(requestId),
    pure.str('create'),
    pure.str(''),
    pure.str('v1'),
    pure.str('configmaps'),
    pure.str(''),
    pure.str('default'),
    pure.str('cm-1'),
    pure.str(''),
    pure.str('application/json'),
    pure.str('application/json'),
    pure.str(''),
    pure.str(''), // impersonate_user
    pure.strs([]), // impersonate_groups
    pure.chunks(payload.length ? [payload] : []),
    pure.bytes(payload.length ? sha256(payload) : new Uint8Array()),
    pure.bytes([]), // response_seal_id (no confidentiality)
    pure.u8(1),
    { coin: 10n },
    { obj: CLOCK_ID },
  ]);
}

export function claimRequest(s: GatewaySetup, request: string): CallResult {
  return s.ledger.call(EXECUTOR, 'claim_request', [
    { obj: s.cluster },
    { obj: s.executor },
    { obj: request },
    { obj: CLOCK_ID },
  ]);
}

/** A signed one-segment 201 answer, as the listener stores it. */
export function storeResponse(s: GatewaySetup, request: string, body: Uint8Array): CallResult {
  const ev = [...s.ledger.runtime.events]
    .reverse()
    .map((e) => (e.type.endsWith('::K8sAPIRequest') ? K8sAPIRequestBcs.parse(e.bcs) : undefined))
    .find((e) => e?.request_object_id === request);
  if (!ev) throw new Error(`no K8sAPIRequest event for ${request} in the ledger`);
  const signedAtMs = Number(ev.timestamp_ms);
  const signature = s.signer.sign(
    answerIntentBytes(ev, {
      statusCode: 201,
      contentType: 'application/json',
      contentEncoding: '',
      bodySize: body.length,
      bodyDigest: sha256(body),
      signedAtMs,
    }),
  );
  return s.ledger.call(EXECUTOR, 'store_k8s_response', [
    { obj: s.cluster },
    { obj: s.executor },
    { obj: request },
    pure.u32(201),
    pure.str('application/json'),
    pure.str(''),
    pure.chunks([body]),
    pure.u64(body.length),
    pure.bytes(sha256(body)),
    pure.chunks([]),
    pure.u64(signedAtMs),
    pure.bytes(signature),
    { obj: CLOCK_ID },
  ]);
}
