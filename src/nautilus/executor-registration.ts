/**
 * Finds or creates this account's Executor object: the shared object every
 * claim and answer names, holding the account's stake and the ed25519 key
 * its answers are signed with. Registration consumes the ExecutorCap the
 * cluster administrator sent (`k3s-daas executor admit`).
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import {
  ExecutorBcs,
  ExecutorCapBcs,
  ExecutorRegisteredBcs,
  contractType,
  registerExecutor,
  type ExecutorObject,
} from '../contract/index.ts';
import { listEventsAfter } from '../sui/events.ts';
import { findOwnedObject } from '../sui/owned-objects.ts';
import type { TxRunner } from '../sui/tx-runner.ts';
import { describeFailure } from '../sui/tx-runner.ts';
import { structName } from '../sui/events.ts';

export interface ExecutorIdentity {
  packageId: string;
  clusterId: string;
  /** the Sui account that pays and is paid */
  account: string;
  /** the ed25519 public key its answers are signed with */
  signingKey: Uint8Array;
}

export class ExecutorNotAdmitted extends Error {
  override name = 'ExecutorNotAdmitted';
}

const hex = (b: Uint8Array | number[]) => Buffer.from(Uint8Array.from(b)).toString('hex');

/** The account's active Executor of the cluster (newest first), if any. */
export async function findExecutor(
  client: SuiGrpcClient,
  who: ExecutorIdentity,
): Promise<{ objectId: string; executor: ExecutorObject } | undefined> {
  const ids: string[] = [];
  for await (const frame of listEventsAfter(
    client,
    contractType(who.packageId, 'ExecutorRegistered'),
    undefined,
  )) {
    if (!frame.event) continue;
    const ev = ExecutorRegisteredBcs.parse(frame.event.bcs);
    if (ev.cluster_id === who.clusterId && ev.executor === who.account) ids.push(ev.executor_object_id);
  }
  for (const objectId of ids.reverse()) {
    const executor = await readExecutor(client, objectId);
    if (executor && executor.unbonding_until_ms === '0') return { objectId, executor };
  }
  return undefined;
}

/** An Executor object, or undefined once withdrawn (deleted). */
export async function readExecutor(
  client: SuiGrpcClient,
  objectId: string,
): Promise<ExecutorObject | undefined> {
  try {
    const { object } = await client.getObject({ objectId, include: { content: true } });
    return ExecutorBcs.parse(object.content);
  } catch {
    return undefined;
  }
}

function findAdmission(client: SuiGrpcClient, who: ExecutorIdentity): Promise<string | undefined> {
  return findOwnedObject(
    client,
    who.account,
    contractType(who.packageId, 'ExecutorCap'),
    (content) => ExecutorCapBcs.parse(content).cluster_id === who.clusterId,
  );
}

/**
 * The Executor object to claim and answer with: the account's active one
 * (its signing key must be ours), else a new registration with `stake`
 * through the account's ExecutorCap. Throws ExecutorNotAdmitted with what to
 * run when the account has neither.
 */
export async function ensureExecutor(
  client: SuiGrpcClient,
  runner: TxRunner,
  who: ExecutorIdentity,
  stake: bigint | undefined,
): Promise<{ objectId: string; registeredNow: boolean }> {
  // A registration made moments ago may not be in a checkpoint (and so in ListEvents) yet.
  let existing = await findExecutor(client, who);
  for (let i = 0; !existing && i < 4 && !(await findAdmission(client, who)); i++) {
    await new Promise((r) => setTimeout(r, 500));
    existing = await findExecutor(client, who);
  }
  if (existing) {
    if (hex(existing.executor.signing_key) !== hex(who.signingKey))
      throw new ExecutorNotAdmitted(
        `executor ${existing.objectId} of ${who.account} signs with key ${hex(existing.executor.signing_key)}, not this listener's ${hex(who.signingKey)}: use the signing-key file it was registered with, or deregister it (k3s-daas executor deregister) and register again`,
      );
    return { objectId: existing.objectId, registeredNow: false };
  }
  const admission = await findAdmission(client, who);
  if (!admission)
    throw new ExecutorNotAdmitted(
      `${who.account} is not an executor of cluster ${who.clusterId} and holds no admission: ask the cluster administrator to run "k3s-daas executor admit ${who.account}"`,
    );
  if (stake === undefined)
    throw new ExecutorNotAdmitted(
      `${who.account} is admitted but not registered: start with --register-stake <amount> (at least the cluster's minimum executor stake)`,
    );
  const o = await runner.run((tx) =>
    registerExecutor(tx, who.packageId, {
      cluster: who.clusterId,
      admission,
      signingKey: who.signingKey,
      stake,
    }),
  );
  if (!o.success) throw new Error(`executor registration failed: ${describeFailure(o)}`);
  const ev = o.events.find((e) => structName(e.eventType) === 'ExecutorRegistered');
  if (!ev) throw new Error(`registration transaction ${o.digest} emitted no ExecutorRegistered event`);
  return { objectId: ExecutorRegisteredBcs.parse(ev.bcs).executor_object_id, registeredNow: true };
}
