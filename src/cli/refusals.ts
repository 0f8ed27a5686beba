/**
 * Refused attempts, read from the chain: a kubectl command the contract refused is a transaction
 * that called k8s_gateway and aborted (gas paid, nothing shared, no event). Events cannot show
 * it, so `audit` finds these transactions by the function they called.
 *
 * Source: LedgerService.ListTransactions of the Sui gRPC API (sui.rpc.v2, @mysten/sui 2.33)
 * with a `move_call` filter on `<package>::k8s_gateway`. A full node answers it from its RPC
 * indexes (they must be enabled on that node); a node without them, or one whose history was
 * pruned, cannot list old transactions: then an indexer that keeps every checkpoint since the
 * package was published (e.g. fed by SubscribeCheckpoints) has to serve this query. The embedded
 * node answers it from its ledger. Whatever serves it sits behind `RefusalSource`.
 */
import { bcs } from '@mysten/sui/bcs';
import { normalizeSuiAddress } from '@mysten/sui/utils';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { MODULE, lookupAbort, parseMoveAbort } from '../contract/index.ts';

export interface RefusedAttempt {
  time: string;
  txDigest: string;
  sender: string;
  /** The k8s_gateway function called (execute_kubectl_command_with_id for kubectl). */
  function: string;
  sealTokenId?: string;
  requestId?: string;
  verb?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  abortCode?: number;
  /** The contract's named abort constant (EPermissionDenied, …), when the abort is ours. */
  abort?: string;
  /** The HTTP status the gateway answered for that abort. */
  status?: number;
}

/** Lists the failed k8s_gateway transactions that used one Cluster object. */
export interface RefusalSource {
  refusals(packageId: string, clusterId: string): Promise<RefusedAttempt[]>;
}

type ListTransactionsInput = Parameters<SuiGrpcClient['ledgerService']['listTransactions']>[0];

/** Argument positions of the functions whose refusals audit decodes (see src/contract/calls.ts). */
const EXECUTE = 'execute_kubectl_command_with_id';
const EXECUTE_STRINGS = [
  'requestId',
  'verb',
  'apiGroup',
  'version',
  'resource',
  'subresource',
  'namespace',
  'name',
] as const;

type ParsedTx = ReturnType<typeof bcs.TransactionData.parse>;
type PtbInput = NonNullable<ParsedTx['V1']['kind']['ProgrammableTransaction']>['inputs'][number];
type PtbArgument = NonNullable<
  NonNullable<ParsedTx['V1']['kind']['ProgrammableTransaction']>['commands'][number]['MoveCall']
>['arguments'][number];

function objectIdOf(input: PtbInput | undefined): string | undefined {
  const o = input?.Object;
  const id = o?.ImmOrOwnedObject?.objectId ?? o?.SharedObject?.objectId ?? o?.Receiving?.objectId;
  return id ? normalizeSuiAddress(id) : undefined;
}

function pureBytes(input: PtbInput | undefined): Uint8Array | undefined {
  const b: unknown = input?.Pure?.bytes;
  if (typeof b === 'string') return Buffer.from(b, 'base64');
  if (b instanceof Uint8Array) return b;
  if (Array.isArray(b)) return Uint8Array.from(b as number[]);
  return undefined;
}

function inputOf(inputs: readonly PtbInput[], arg: PtbArgument | undefined): PtbInput | undefined {
  return arg && arg.$kind === 'Input' ? inputs[arg.Input] : undefined;
}

interface ProtoTx {
  digest?: string;
  transaction?: { bcs?: { value?: Uint8Array } };
  effects?: {
    status?: {
      success?: boolean;
      error?: {
        description?: string;
        errorDetails?: { oneofKind?: string; abort?: { abortCode?: bigint; location?: { module?: string } } };
      };
    };
  };
  timestamp?: { seconds?: bigint; nanos?: number };
}

/** The abort of a failed transaction's status: structured when the node gives it, else from its text. */
function abortOf(
  status: NonNullable<NonNullable<ProtoTx['effects']>['status']>,
): { code: number; module?: string } | undefined {
  const d = status.error?.errorDetails;
  if (d?.oneofKind === 'abort' && d.abort?.abortCode !== undefined) {
    const module = d.abort.location?.module;
    return { code: Number(d.abort.abortCode), ...(module ? { module } : {}) };
  }
  const parsed = parseMoveAbort(status.error?.description ?? '');
  return parsed ? { code: parsed.code, ...(parsed.module ? { module: parsed.module } : {}) } : undefined;
}

/** One failed transaction → the refused attempt it records, if it used `clusterId`. */
export function refusalOf(t: ProtoTx, packageId: string, clusterId: string): RefusedAttempt | undefined {
  const status = t.effects?.status;
  const bytes = t.transaction?.bcs?.value;
  if (!status || status.success !== false || !bytes || !t.digest) return undefined;
  const data = bcs.TransactionData.parse(bytes).V1;
  const ptb = data.kind.ProgrammableTransaction;
  if (!ptb) return undefined;
  const pkg = normalizeSuiAddress(packageId);
  const cluster = normalizeSuiAddress(clusterId);
  const call = ptb.commands
    .map((c) => c.MoveCall)
    .find(
      (m) =>
        m &&
        normalizeSuiAddress(m.package) === pkg &&
        m.module === MODULE &&
        m.arguments.some((a) => objectIdOf(inputOf(ptb.inputs, a)) === cluster),
    );
  if (!call) return undefined;
  const seconds = t.timestamp?.seconds ?? 0n;
  const ms = Number(seconds) * 1000 + Math.floor((t.timestamp?.nanos ?? 0) / 1e6);
  const out: RefusedAttempt = {
    time: new Date(ms).toISOString(),
    txDigest: t.digest,
    sender: normalizeSuiAddress(data.sender),
    function: call.function,
  };
  if (call.function === EXECUTE) {
    const token = objectIdOf(inputOf(ptb.inputs, call.arguments[1]));
    if (token) out.sealTokenId = token;
    const s: Partial<Record<(typeof EXECUTE_STRINGS)[number], string>> = {};
    EXECUTE_STRINGS.forEach((field, i) => {
      const b = pureBytes(inputOf(ptb.inputs, call.arguments[2 + i]));
      if (b) s[field] = bcs.string().parse(b);
    });
    if (s.requestId !== undefined) out.requestId = s.requestId;
    if (s.verb !== undefined) out.verb = s.verb;
    out.resource =
      [s.resource, s.subresource].filter(Boolean).join('/') + (s.apiGroup ? `.${s.apiGroup}` : '');
    out.namespace = s.namespace ?? '';
    out.name = s.name ?? '';
  }
  const abort = abortOf(status);
  if (abort) {
    out.abortCode = abort.code;
    const info = abort.module === undefined || abort.module === MODULE ? lookupAbort(abort.code) : undefined;
    if (info) {
      out.abort = info.name;
      out.status = info.httpStatus;
    }
  }
  return out;
}

/** RefusalSource over LedgerService.ListTransactions (move_call filter), page by page to the tip. */
export class ListTransactionsRefusals implements RefusalSource {
  constructor(
    private readonly client: SuiGrpcClient,
    private readonly pageSize = 200,
  ) {}

  async refusals(packageId: string, clusterId: string): Promise<RefusedAttempt[]> {
    const out: RefusedAttempt[] = [];
    let cursor: Uint8Array | undefined;
    for (;;) {
      const input: ListTransactionsInput = {
        readMask: { paths: ['digest', 'transaction.bcs', 'effects.status', 'timestamp', 'checkpoint'] },
        filter: {
          terms: [
            {
              literals: [
                {
                  negated: false,
                  predicate: {
                    oneofKind: 'moveCall',
                    moveCall: { function: `${normalizeSuiAddress(packageId)}::${MODULE}` },
                  },
                },
              ],
            },
          ],
        },
        options: { limit: this.pageSize, ...(cursor ? { after: cursor } : {}) },
      };
      let call;
      try {
        call = this.client.ledgerService.listTransactions(input);
        for (const p of [call.headers, call.status, call.trailers]) p.catch(() => undefined);
      } catch (e) {
        throw unsupported(e);
      }
      let end: number | undefined;
      let items = 0;
      try {
        for await (const frame of call.responses) {
          if (frame.watermark?.cursor?.length) cursor = frame.watermark.cursor;
          if (frame.transaction) {
            items++;
            const r = refusalOf(frame.transaction as ProtoTx, packageId, clusterId);
            if (r) out.push(r);
          }
          if (frame.end) end = frame.end.reason ?? 0;
        }
      } catch (e) {
        throw unsupported(e);
      }
      // ITEM_LIMIT (1) / SCAN_LIMIT (2): more pages follow; anything else: caught up.
      if (!(end === 1 || end === 2) || (items === 0 && end === 1)) return out;
    }
  }
}

function unsupported(e: unknown): Error {
  const msg = (e as Error).message ?? String(e);
  return new Error(
    `cannot list refused attempts: the full node did not answer LedgerService.ListTransactions (${msg}); ` +
      'it needs RPC indexing enabled, or an indexer that keeps the transactions of this package; ' +
      'pass --no-refusals to list answered requests only',
  );
}
