import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transaction } from '@mysten/sui/transactions';
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { SimulationError } from '@mysten/sui/client';
import { bcs } from '@mysten/sui/bcs';
import {
  abortByName,
  claimRequest,
  closeRequest,
  ClusterBcs,
  issueSealToken,
  K8sAPIRequestBcs,
  K8sAPIResponseBcs,
  K8S_REQUEST_EVENT,
  ExecutorBcs,
  newRule,
  RuleBcs,
  RequestBcs,
  SealTokenBcs,
  sha256,
  stakeSealToken,
  storeK8sResponse,
  answerIntentBytes,
  verifyAnswerSignature,
} from '../../../../src/contract/index.ts';
import { toBase58 } from '@mysten/sui/utils';
import { kubectlCreate, publishGateway, run, type Gateway } from './contract-setup.ts';
import { eventTypeFilter } from '../../../../src/sui/events.ts';

// k8s_gateway published and driven through the real SDK; Move runs in the TypeScript VM.
describe('embedded sui: k8s_gateway through the SDK', () => {
  let g: Gateway;
  const text = (s: string) => new TextEncoder().encode(s);

  beforeAll(async () => {
    g = await publishGateway({ checkpointIntervalMs: 20 });
  });
  afterAll(() => g.chain.stop());

  it('reads the published objects with getObjects and decodes them with src/contract', async () => {
    const { objects } = await g.client.getObjects({
      objectIds: [g.clusterId, g.tokenId],
      include: { content: true },
    });
    const [cluster, token] = objects;
    if (cluster instanceof Error || token instanceof Error) throw new Error('object missing');
    expect(cluster!.owner).toMatchObject({ $kind: 'Shared' });
    expect(ClusterBcs.parse(cluster!.content!).name).toBe('embedded');
    expect(token!.owner).toEqual({ $kind: 'AddressOwner', AddressOwner: g.user.toSuiAddress() });
    const decoded = SealTokenBcs.parse(token!.content!);
    expect(decoded.cluster_id).toBe(g.clusterId);
    expect(decoded.stake.value).toBe('1000');
    const fn = await g.client.getMoveFunction({
      packageId: g.packageId,
      moduleName: 'k8s_gateway',
      name: 'execute_kubectl_command_with_id',
    });
    expect(fn.function.isEntry || fn.function.visibility === 'public').toBe(true);
    // v2: the request path only reads the Cluster.
    expect(fn.function.parameters[0]?.reference).toBe('immutable');
  });

  it('reads the registered Executor: a shared object with the account, signing key and stake', async () => {
    const { objects } = await g.client.getObjects({
      objectIds: [g.executorObjectId],
      include: { content: true },
    });
    const ex = ExecutorBcs.parse((objects[0] as { content: Uint8Array }).content);
    expect(ex.account).toBe(g.executor.toSuiAddress());
    expect(ex.cluster_id).toBe(g.clusterId);
    expect(Uint8Array.from(ex.signing_key)).toEqual(g.answerSigner.publicKey);
    expect(ex.stake.value).toBe('1000');
    expect((objects[0] as { owner: { $kind: string } }).owner.$kind).toBe('Shared');
  });

  it('runs a request end to end: execute → claim → store → close, with decoded events', async () => {
    const payload = text('{"kind":"ConfigMap"}');
    const executed = await run(g.client, g.user, (tx) => kubectlCreate(g, tx, 'e2e-1', payload));
    const reqEvent = executed.events!.find((e) => e.eventType === K8S_REQUEST_EVENT(g.packageId))!;
    const req = K8sAPIRequestBcs.parse(reqEvent.bcs);
    expect(req).toMatchObject({
      request_id: 'e2e-1',
      cluster_id: g.clusterId,
      verb: 'create',
      requester: g.user.toSuiAddress(),
      token_id: g.tokenId,
    });
    expect(Uint8Array.from(req.payload)).toEqual(payload);
    // The Clock moves to the commit time of a transaction that reads it.
    expect(Math.abs(Number(req.timestamp_ms) - Date.now())).toBeLessThan(2_000);

    const on = { cluster: g.clusterId, executor: g.executorObjectId, request: req.request_object_id };
    await run(g.client, g.executor, (tx) => claimRequest(tx, g.packageId, on));
    const body = text('{"kind":"ConfigMap","metadata":{"name":"e2e-1"}}');
    const answer = {
      statusCode: 201,
      contentType: 'application/json',
      contentEncoding: '',
      bodySize: body.length,
      bodyDigest: sha256(body),
      signedAtMs: Number(req.timestamp_ms),
    };
    const signature = g.answerSigner.sign(answerIntentBytes(req, answer));
    const stored = await run(g.client, g.executor, (tx) =>
      storeK8sResponse(tx, g.packageId, {
        ...on,
        statusCode: 201,
        contentType: 'application/json',
        contentEncoding: '',
        chunks: [body],
        totalSize: body.length,
        digest: sha256(body),
        segmentTxDigests: [],
        signedAtMs: answer.signedAtMs,
        signature,
      }),
    );
    const resp = K8sAPIResponseBcs.parse(
      stored.events!.find((e) => e.eventType.endsWith('::K8sAPIResponse'))!.bcs,
    );
    expect(resp).toMatchObject({
      request_id: 'e2e-1',
      status_code: 201,
      executor: g.executor.toSuiAddress(),
      executor_object_id: g.executorObjectId,
    });
    // The body travels in the event; the gateway checks the same signature off chain.
    expect(resp.body.map((c) => Uint8Array.from(c))).toEqual([body]);
    expect(
      verifyAnswerSignature(req, answer, Uint8Array.from(resp.signature), g.answerSigner.publicKey),
    ).toBe(true);
    const { objects } = await g.client.getObjects({
      objectIds: [req.request_object_id],
      include: { content: true },
    });
    const requestObj = RequestBcs.parse((objects[0] as { content: Uint8Array }).content);
    expect(requestObj.state).toBe(2);
    expect(Uint8Array.from(requestObj.response_digest)).toEqual(sha256(body));
    expect(toBase58(Uint8Array.from(requestObj.answer_tx_digest))).toBe(stored.digest);

    const closed = await run(g.client, g.user, (tx) =>
      closeRequest(tx, g.packageId, { request: req.request_object_id }),
    );
    expect(
      closed.effects!.changedObjects.find((c) => c.objectId === req.request_object_id)?.idOperation,
    ).toBe('Deleted');
  });

  it('lists K8sAPIRequest events in order with working cursors, and streams new ones', async () => {
    const client = new SuiGrpcClient({ network: 'localnet', baseUrl: g.chain.url });
    const abort = new AbortController();
    const stream = client.subscriptionService.subscribeEvents(
      { filter: eventTypeFilter(K8S_REQUEST_EVENT(g.packageId)) },
      { abort: abort.signal },
    );
    const streamed: string[] = [];
    let progressOnly = 0;
    let firstIsProgress: boolean | undefined;
    const reading = (async () => {
      try {
        for await (const m of stream.responses) {
          // As a real node: a progress-only frame first, then matches (and progress while idle).
          firstIsProgress ??= !m.event && m.watermark?.cursor !== undefined;
          if (!m.event) {
            progressOnly++;
            continue;
          }
          streamed.push(K8sAPIRequestBcs.parse(m.event!.contents!.value!).request_id);
          if (streamed.length === 3) abort.abort();
        }
      } catch {
        /* cancelled */
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    for (const id of ['list-a', 'list-b', 'list-c'])
      await run(g.client, g.user, (tx) => kubectlCreate(g, tx, id, text(id)));
    await reading;
    expect(streamed).toEqual(['list-a', 'list-b', 'list-c']);
    expect(firstIsProgress).toBe(true);
    expect(progressOnly).toBeGreaterThanOrEqual(1);

    await new Promise((r) => setTimeout(r, 60)); // let the last checkpoint seal
    const filter = { eventType: K8S_REQUEST_EVENT(g.packageId) };
    const page1 = await g.client.listEvents({ filter, limit: 2 });
    expect(page1.hasNextPage).toBe(true);
    const page2 = await g.client.listEvents({ filter, limit: 2, after: page1.endCursor! });
    const ids = [...page1.events, ...page2.events].map((e) => K8sAPIRequestBcs.parse(e.bcs).request_id);
    expect(ids).toEqual(['e2e-1', 'list-a', 'list-b', 'list-c']);
    expect(page2.hasNextPage).toBe(false);
    expect(page1.events[0]!.checkpoint).not.toBeNull();
  });

  it('returns Move aborts with code and location, at build time and on chain', async () => {
    const dup = abortByName('EInvalidRequestField')!.code;
    const tx = new Transaction();
    kubectlCreate(g, tx, 'bad/id', new Uint8Array());
    const err = await g.client
      .signAndExecuteTransaction({ transaction: tx, signer: g.user })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimulationError);
    const abort = (err as SimulationError).executionError;
    expect(abort?.$kind).toBe('MoveAbort');
    expect(abort?.MoveAbort?.abortCode).toBe(String(dup));
    expect(abort?.MoveAbort?.location).toMatchObject({
      package: g.packageId,
      module: 'k8s_gateway',
      functionName: 'execute_kubectl_command_with_id',
    });

    // Fully specified transaction (no simulation): the abort lands on chain as failure effects.
    const user = g.user.toSuiAddress();
    const [cluster, token] = (await g.client.getObjects({ objectIds: [g.clusterId, g.tokenId] })).objects as {
      version: string;
      digest: string;
      owner: { Shared?: { initialSharedVersion: string } };
    }[];
    const gas = (await g.client.listCoins({ owner: user })).objects[0]!;
    const before = BigInt((await g.client.getBalance({ owner: user })).balance.balance);
    const fixed = new Transaction();
    fixed.setSender(user);
    fixed.setGasPrice(1000);
    fixed.setGasBudget(50_000_000);
    fixed.setGasPayment([{ objectId: gas.objectId, version: gas.version, digest: gas.digest }]);
    kubectlCreate(
      {
        ...g,
        clusterId: fixed.sharedObjectRef({
          objectId: g.clusterId,
          initialSharedVersion: cluster!.owner.Shared!.initialSharedVersion,
          mutable: false,
        }) as unknown as string,
        tokenId: fixed.objectRef({
          objectId: g.tokenId,
          version: token!.version,
          digest: token!.digest,
        }) as unknown as string,
      },
      fixed,
      'bad/id',
      new Uint8Array(),
    );
    const failed = await g.client.signAndExecuteTransaction({
      transaction: fixed,
      signer: g.user,
      include: { effects: true, events: true },
    });
    expect(failed.$kind).toBe('FailedTransaction');
    const status = failed.FailedTransaction!.status;
    expect(status.error?.$kind).toBe('MoveAbort');
    expect(status.error?.MoveAbort?.abortCode).toBe(String(dup));
    expect(failed.FailedTransaction!.events).toEqual([]);
    const onChain = bcs.TransactionEffects.parse(failed.FailedTransaction!.effects!.bcs!).V2!;
    expect(onChain.status.Failure?.error.MoveAbort?.[1]).toBe(String(dup));
    expect(onChain.status.Failure?.error.MoveAbort?.[0].module.name).toBe('k8s_gateway');
    const after = BigInt((await g.client.getBalance({ owner: user })).balance.balance);
    const gasUsed = failed.FailedTransaction!.effects!.gasUsed;
    expect(before - after).toBe(
      BigInt(gasUsed.computationCost!) + BigInt(gasUsed.storageCost!) - BigInt(gasUsed.storageRebate!),
    );
  });

  it('simulates without committing and returns command results', async () => {
    const tx = new Transaction();
    tx.setSender(g.user.toSuiAddress());
    newRule(tx, g.packageId, {
      verbs: ['get'],
      apiGroups: [''],
      resources: ['pods'],
      namespaces: ['default'],
      resourceNames: [],
    });
    const versionOf = async () =>
      ((await g.client.getObjects({ objectIds: [g.clusterId] })).objects[0] as { version: string }).version;
    const versionBefore = await versionOf();
    const sim = await g.client.simulateTransaction({
      transaction: tx,
      include: { commandResults: true, effects: true },
    });
    expect(sim.$kind).toBe('Transaction');
    const rule = RuleBcs.parse(sim.commandResults![0]!.returnValues[0]!.bcs!);
    expect(rule).toMatchObject({ verbs: ['get'], resources: ['pods'], namespaces: ['default'] });
    expect(await versionOf()).toBe(versionBefore);
    await expect(g.client.getTransaction({ digest: sim.Transaction!.digest })).rejects.toThrow();
  });

  it('refuses another account’s owned SealToken', async () => {
    const tx = new Transaction();
    kubectlCreate(g, tx, 'stolen-token', new Uint8Array());
    await expect(g.client.signAndExecuteTransaction({ transaction: tx, signer: g.executor })).rejects.toThrow(
      /owned by .*not by the sender/,
    );
  });

  it('two concurrent clients only read the shared Cluster: neither request writes it (no contention)', async () => {
    const second = g.chain.accounts[3]!.keypair;
    const issued = await run(g.client, g.admin, (tx) =>
      issueSealToken(tx, g.packageId, {
        adminCap: g.adminCapId,
        cluster: g.clusterId,
        recipient: second.toSuiAddress(),
        label: 'second',
        rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], resourceNames: [] }],
        expiresAtMs: 0,
      }),
    );
    const secondToken = Object.entries(issued.objectTypes!).find(([, t]) => t.endsWith('::SealToken'))![0];
    await run(g.client, second, (tx) =>
      stakeSealToken(tx, g.packageId, { token: secondToken, coin: 1_000n }),
    );
    const clusterVersion = async () =>
      (await g.client.getObjects({ objectIds: [g.clusterId] })).objects[0] as { version: string };
    const before = (await clusterVersion()).version;
    const clientA = new SuiGrpcClient({ network: 'localnet', baseUrl: g.chain.url });
    const clientB = new SuiGrpcClient({ network: 'localnet', baseUrl: g.chain.url });
    const [a, b] = await Promise.all([
      run(clientA, g.user, (tx) => kubectlCreate(g, tx, 'conc-a', text('a'))),
      run(clientB, second, (tx) => kubectlCreate({ ...g, tokenId: secondToken }, tx, 'conc-b', text('b'))),
    ]);
    for (const r of [a, b]) {
      expect(r.effects!.changedObjects.find((c) => c.objectId === g.clusterId)).toBeUndefined();
      expect(r.events!.some((e) => e.eventType.endsWith('::K8sAPIRequest'))).toBe(true);
    }
    expect((await clusterVersion()).version).toBe(before);
  });
});
