/** `audit`: the on-chain history of a cluster's commands and responses. */
import { Command } from 'commander';
import {
  K8sAPIRequestBcs,
  K8sAPIResponseBcs,
  ExecutorRegisteredBcs,
  answerFieldsOf,
  contractType,
  verifyAnswerSignature,
  K8S_REQUEST_EVENT,
  K8S_RESPONSE_EVENT,
} from '../../contract/index.ts';
import { listEventsAfter } from '../../sui/events.ts';
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { CliContext, addGlobalOptions } from '../context.ts';
import { ListTransactionsRefusals, type RefusalSource, type RefusedAttempt } from '../refusals.ts';
import { attachBodies, keysFrom } from '../audit-bodies.ts';

export interface AuditEntry {
  requestId: string;
  requestObjectId: string;
  time: string;
  requester: string;
  /** the SealToken the command was sent with */
  sealTokenId?: string;
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  requestTx: string;
  status?: number;
  executor?: string;
  /** the Executor object that answered, its registered ed25519 key, and whether the answer's signature verifies with it */
  executorObjectId?: string;
  signerKey?: string;
  signatureValid?: boolean;
  responseTx?: string;
  answeredAt?: string;
  /** set on attempts the contract refused: the transaction aborted, no Request exists */
  refused?: true;
  /** the contract's named abort constant of a refused attempt (EPermissionDenied, …) */
  abort?: string;
  /** the k8s_gateway function a refused transaction called, when it is not a kubectl command */
  function?: string;
  /** `--bodies`: the answer as the caller may read it (decrypted, or "encrypted (not yours)") */
  body?: string;
}

/** A refused attempt as an audit row: requester = its sender, request tx = the aborted transaction. */
export function refusalEntry(r: RefusedAttempt): AuditEntry {
  const e: AuditEntry = {
    requestId: r.requestId ?? '',
    requestObjectId: '',
    time: r.time,
    requester: r.sender,
    verb: r.verb ?? '',
    resource: r.resource ?? '',
    namespace: r.namespace ?? '',
    name: r.name ?? '',
    requestTx: r.txDigest,
    refused: true,
  };
  if (r.sealTokenId) e.sealTokenId = r.sealTokenId;
  if (r.status !== undefined) e.status = r.status;
  e.abort = r.abort ?? (r.abortCode !== undefined ? `abort ${r.abortCode}` : 'failed');
  if (r.function !== 'execute_kubectl_command_with_id') e.function = r.function;
  return e;
}

/** Answered and pending requests (events) and refused attempts (aborted transactions), by time. */
export async function collectAuditWithRefusals(
  client: SuiGrpcClient,
  packageId: string,
  clusterId: string,
  refusals: RefusalSource = new ListTransactionsRefusals(client),
): Promise<AuditEntry[]> {
  const [rows, refused] = await Promise.all([
    collectAudit(client, packageId, clusterId),
    refusals.refusals(packageId, clusterId),
  ]);
  // A stable sort on ISO times keeps events in chain order within a millisecond.
  return [...rows, ...refused.map(refusalEntry)].sort((a, b) =>
    a.time < b.time ? -1 : a.time > b.time ? 1 : 0,
  );
}

export async function collectAudit(
  client: SuiGrpcClient,
  packageId: string,
  clusterId: string,
): Promise<AuditEntry[]> {
  const byObject = new Map<string, AuditEntry>();
  const requests = new Map<string, ReturnType<typeof K8sAPIRequestBcs.parse>>();
  const keys = new Map<string, Uint8Array>();
  for await (const f of listEventsAfter(client, contractType(packageId, 'ExecutorRegistered'), undefined)) {
    if (!f.event) continue;
    const e = ExecutorRegisteredBcs.parse(f.event.bcs);
    if (e.cluster_id === clusterId) keys.set(e.executor_object_id, Uint8Array.from(e.signing_key));
  }
  for await (const f of listEventsAfter(client, K8S_REQUEST_EVENT(packageId), undefined)) {
    if (!f.event) continue;
    const e = K8sAPIRequestBcs.parse(f.event.bcs);
    if (e.cluster_id !== clusterId) continue;
    const resource =
      [e.resource, e.subresource].filter(Boolean).join('/') + (e.api_group ? `.${e.api_group}` : '');
    requests.set(e.request_object_id, e);
    byObject.set(e.request_object_id, {
      requestId: e.request_id,
      requestObjectId: e.request_object_id,
      time: new Date(Number(e.timestamp_ms)).toISOString(),
      requester: e.requester,
      sealTokenId: e.token_id,
      verb: e.verb,
      resource,
      namespace: e.namespace,
      name: e.name,
      requestTx: f.event.txDigest,
    });
  }
  for await (const f of listEventsAfter(client, K8S_RESPONSE_EVENT(packageId), undefined)) {
    if (!f.event) continue;
    const e = K8sAPIResponseBcs.parse(f.event.bcs);
    const entry = byObject.get(e.request_object_id);
    if (!entry) continue;
    entry.status = e.status_code;
    entry.executor = e.executor;
    entry.executorObjectId = e.executor_object_id;
    const key = keys.get(e.executor_object_id);
    if (key) {
      entry.signerKey = Buffer.from(key).toString('hex');
      entry.signatureValid = verifyAnswerSignature(
        requests.get(e.request_object_id)!,
        answerFieldsOf(e),
        Uint8Array.from(e.signature),
        key,
      );
    }
    entry.responseTx = f.event.txDigest;
    entry.answeredAt = new Date(Number(e.timestamp_ms)).toISOString();
  }
  return [...byObject.values()];
}

/** A body in one table cell: whitespace folded, at most 80 characters. */
function oneLine(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > 80 ? `${t.slice(0, 79)}…` : t;
}

function short(s: string | undefined, n = 10): string {
  if (!s) return '-';
  return s.length > n + 2 ? `${s.slice(0, n)}…` : s;
}

export function formatAuditTable(rows: AuditEntry[]): string {
  const header = [
    'TIME',
    'REQUESTER',
    'VERB',
    'RESOURCE',
    'NAMESPACE',
    'NAME',
    'SEALTOKEN',
    'STATUS',
    'ABORT',
    'EXECUTOR',
    'SIGNER KEY',
    'SIGNATURE',
    'REQUEST TX',
    'RESPONSE TX',
  ];
  const bodies = rows.some((r) => r.body !== undefined);
  if (bodies) header.push('BODY');
  const data = rows.map((r) => [
    r.time,
    short(r.requester),
    r.verb,
    r.resource,
    r.namespace || '-',
    r.name || '-',
    short(r.sealTokenId),
    r.status === undefined ? (r.refused ? 'refused' : 'pending') : String(r.status),
    r.abort ?? (r.function ? r.function : '-'),
    short(r.executor),
    short(r.signerKey, 12),
    r.signatureValid === undefined ? '-' : r.signatureValid ? 'valid' : 'INVALID',
    short(r.requestTx, 12),
    short(r.responseTx, 12),
    ...(bodies ? [r.body === undefined ? '-' : oneLine(r.body)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...data.map((d) => d[i]!.length)));
  return [header, ...data]
    .map((row) =>
      row
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function auditCommand(): Command {
  return addGlobalOptions(new Command('audit'))
    .description(
      'Show the on-chain history of the cluster: who ran what, when, with which SealToken, the answer status and the transaction digests, and the attempts the contract refused (aborted transactions, with the abort name)',
    )
    .option('--refused', 'only the refused attempts')
    .option(
      '--no-refusals',
      'leave refused attempts out (they need a node that can list transactions: LedgerService.ListTransactions)',
    )
    .option('--json', 'print JSON instead of a table')
    .option(
      '--bodies',
      'also show each answer body: decrypted when your keystore (or your gateway keystore) holds the requester\'s key, "encrypted (not yours)" otherwise',
    )
    .option('--requester <address>', 'only this requester')
    .option('--limit <n>', 'only the last n entries')
    .option(
      '--verb <verbs>',
      'only these verbs, comma-separated (e.g. create,delete; a kubectl get -w records one watch per window)',
    )
    .action(
      async (
        o: {
          json?: boolean;
          requester?: string;
          limit?: string;
          verb?: string;
          refused?: boolean;
          refusals: boolean;
          bodies?: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = CliContext.from(cmd);
        let rows =
          o.refusals || o.refused
            ? await collectAuditWithRefusals(ctx.client(), ctx.packageId, ctx.clusterId)
            : await collectAudit(ctx.client(), ctx.packageId, ctx.clusterId);
        if (o.refused) rows = rows.filter((r) => r.refused);
        if (o.requester)
          rows = rows.filter((r) =>
            r.requester.toLowerCase().endsWith(o.requester!.toLowerCase().replace(/^0x0*/, '')),
          );
        if (o.verb) {
          const verbs = new Set(o.verb.split(',').map((v) => v.trim()));
          rows = rows.filter((r) => verbs.has(r.verb));
        }
        if (o.limit) rows = rows.slice(-Number(o.limit));
        if (o.bodies)
          await attachBodies(rows, {
            client: ctx.client(),
            packageId: ctx.packageId,
            clusterId: ctx.clusterId,
            keys: await keysFrom([ctx.keystorePath, ctx.gatewayKeystorePath]),
          });
        process.stdout.write((o.json ? JSON.stringify(rows, null, 2) : formatAuditTable(rows)) + '\n');
      },
    );
}
