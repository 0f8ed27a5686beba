import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { K8sAPIRequestBcs, K8sAPIResponseBcs } from '../../../src/contract/bcs.ts';
import { MoveAbortError } from './index.ts';
import type { MoveVM } from './src/vm.ts';
import { vmWithPackage } from './testing/load.ts';
import {
  ALICE,
  EXECUTOR,
  claimRequest,
  executeRequest,
  setupGateway,
  sha256,
  storeResponse,
} from './testing/contract-flow.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CONTRACT = path.join(here, '..', '..', '..', 'move', 'k8s_gateway');
const PKG = '0x' + '5e'.repeat(32);

let vm: MoveVM;
beforeAll(async () => {
  ({ vm } = await vmWithPackage(CONTRACT, PKG));
}, 300_000);

describe('k8s_gateway request path in the VM', () => {
  it('emits a K8sAPIRequest that src/contract decodes, then stores the response', () => {
    const s = setupGateway(vm, PKG);
    const payload = new TextEncoder().encode('{"kind":"ConfigMap"}');
    const r = executeRequest(s, 'req-1', payload);
    expect(r.mutated.map((m) => m.index)).toEqual([]); // v2: the cluster and the token are both read-only
    const ev = s.ledger.runtime.events.at(-1)!;
    expect(ev.type).toBe(`${PKG}::k8s_gateway::K8sAPIRequest`);
    expect(ev.sender).toBe(`${PKG}::k8s_gateway`);
    const req = K8sAPIRequestBcs.parse(ev.bcs);
    expect(req).toMatchObject({
      request_id: 'req-1',
      cluster_id: s.cluster,
      verb: 'create',
      api_group: '',
      version: 'v1',
      resource: 'configmaps',
      namespace: 'default',
      name: 'cm-1',
      content_type: 'application/json',
      payload_size: String(payload.length),
      requester: ALICE,
      token_id: s.token,
      timestamp_ms: '1000000',
      priority: 1,
      fee: '10',
    });
    expect(Uint8Array.from(req.payload)).toEqual(payload);
    expect(Uint8Array.from(req.payload_digest)).toEqual(sha256(payload));
    const requestObj = s.ledger.runtime.objects.get(req.request_object_id)!;
    expect(requestObj.owner).toEqual({ kind: 'shared' });

    claimRequest(s, req.request_object_id);
    const body = new TextEncoder().encode('{"kind":"ConfigMap","metadata":{"name":"cm-1"}}');
    storeResponse(s, req.request_object_id, body);
    const resp = K8sAPIResponseBcs.parse(s.ledger.runtime.events.at(-1)!.bcs);
    expect(resp).toMatchObject({
      request_id: 'req-1',
      executor: EXECUTOR,
      status_code: 201,
      body_size: String(body.length),
    });
  });

  it('reports contract aborts with the k8s_gateway location', () => {
    const s = setupGateway(vm, PKG);
    try {
      executeRequest(s, 'bad/id', new Uint8Array());
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MoveAbortError);
      expect((e as MoveAbortError).location.module).toBe(`${PKG}::k8s_gateway`);
    }
  });
});
