/**
 * The id-squatting attack (issue #14): in v1 request ids were unique per
 * cluster and watch windows were named `<id>.wN`, so a token with almost no
 * rights could read a user's watch id from chain, pre-record `<id>.w1` …
 * `<id>.w12` and break that user's `kubectl get -w` (EDuplicateRequestId).
 * Now ids are labels and window ids carry a random part: the squatter
 * records its requests under every id it can derive, and the victim's real
 * kubectl watch keeps seeing each change across many windows.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { K8S_REQUEST_EVENT, K8sAPIRequestBcs, executeKubectlCommand } from '../../src/contract/index.ts';
import { listEventsAfter } from '../../src/sui/events.ts';
import { run } from '../embedded/sui/test/contract-setup.ts';
import { configMapReader, startE2EStack, type E2EStack } from './e2e-stack.ts';

let s: E2EStack;
beforeAll(async () => {
  s = await startE2EStack([configMapReader('squatter')]);
  // Short windows: the watch spans many of them while the squatter acts.
  await s.startListener(0, { watch: { maxMs: 800, settleMs: 100 } });
}, 300_000);
afterAll(() => s?.stop());

it("another identity cannot break a user's watch by recording requests under its ids", async () => {
  await s.kubectl('admin-user', ['create', 'configmap', 'target', '--from-literal=state=0']);
  const watch = s.kubectlStream('admin-user', [
    'get',
    'configmap',
    'target',
    '-w',
    '-o',
    'custom-columns=NAME:.metadata.name,STATE:.data.state',
  ]);
  await watch.seen('target   0');

  // The squatter reads the victim's watch ids from chain and records requests under them and their windows.
  const victim = s.g.user.toSuiAddress();
  const ids = new Set<string>();
  // Its requests are listed once their checkpoint is sealed: look until one shows up.
  for (let tries = 0; ids.size === 0 && tries < 50; tries++) {
    for await (const frame of listEventsAfter(s.client, K8S_REQUEST_EVENT(s.g.packageId), undefined)) {
      if (!frame.event) continue;
      const ev = K8sAPIRequestBcs.parse(frame.event.bcs);
      if (ev.requester === victim && ev.verb === 'watch') ids.add(ev.request_id.replace(/\.w\d+.*$/, ''));
    }
    if (ids.size === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(ids.size).toBeGreaterThan(0);
  const squatter = s.keystore.require(s.identities.byName('squatter')!.address) as Ed25519Keypair;
  const token = s.identities.byName('squatter')!.sealTokenId;
  const responseSealId = s.responseSealIdFor(squatter.toSuiAddress());
  for (const id of ids) {
    await run(s.client, squatter, (tx) => {
      for (let w = 1; w <= 12; w++)
        executeKubectlCommand(tx, s.g.packageId, {
          cluster: s.g.clusterId,
          token,
          requestId: `${id}.w${w}`,
          verb: 'get',
          apiGroup: '',
          version: 'v1',
          resource: 'configmaps',
          subresource: '',
          namespace: 'default',
          name: 'target',
          query: '',
          contentType: '',
          accept: '',
          contentEncoding: '',
          payload: new Uint8Array(),
          ...(responseSealId ? { responseSealId } : {}),
          fee: 10n,
        });
    });
  }

  // The victim's watch goes on, window after window.
  for (const state of ['1', '2']) {
    await new Promise((r) => setTimeout(r, 1_000));
    await s.kubectl('admin-user', [
      'patch',
      'configmap',
      'target',
      '--type=merge',
      '-p',
      `{"data":{"state":"${state}"}}`,
    ]);
    await watch.seen(`target   ${state}`);
  }
  expect(watch.running()).toBe(true);
  await watch.stop();
}, 180_000);
