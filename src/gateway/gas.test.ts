/**
 * A signer that cannot pay gas, as kubectl shows it: the gateway over a ChainPort that fails the
 * submission exactly as SuiChainPort does (503 "could not submit the transaction to Sui: …"),
 * driven by the real kubectl — discovery included.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statuses } from '../k8s/status.ts';
import type { ChainOutcome, ChainPort } from './chain-port.ts';
import { GasAdvisor, gasFailureIn, submissionGasStatus } from './gas.ts';
import { startTestGateway, type TestGateway } from './testing/test-gateway.ts';

const kubectl = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => join(d, 'kubectl'))
  .find((p) => existsSync(p));

const ALICE = '0x' + 'a11ce'.padStart(64, '0');
let balance = 50_000_000n;
const chain: ChainPort = {
  // What SuiChainPort answers when the embedded node refuses the gas payment.
  execute: async (): Promise<ChainOutcome> =>
    balance < 200_000_000n
      ? {
          kind: 'status',
          status: statuses.unavailable(
            `could not submit the transaction to Sui: gas coins hold ${balance} MIST, less than the gas budget 200000000`,
          ),
        }
      : {
          kind: 'response',
          txDigest: 'D',
          requestObjectId: '0x1',
          statusCode: 200,
          contentType: 'application/json',
          body: Buffer.from('{"kind":"APIVersions","versions":["v1"]}'),
        },
  readiness: async () => [{ name: 'chain', ok: true }],
};

let t: TestGateway;
let dir: string;
let kubeconfig: string;

beforeAll(async () => {
  t = await startTestGateway(chain, {
    gas: new GasAdvisor({
      balanceOf: async (address) => (address === ALICE ? balance : 0n),
      fundFlags: '--grpc-url http://127.0.0.1:9000',
    }),
  });
  dir = await mkdtemp(join(tmpdir(), 'k3s-daas-gas-'));
  await writeFile(join(dir, 'ca.crt'), t.tls.caCert);
  kubeconfig = join(dir, 'kc.yaml');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{ name: g, cluster: { server: "https://' +
        `${t.base.host}:${t.base.port}` +
        '", certificate-authority: ' +
        join(dir, 'ca.crt') +
        ' } }]',
      `users: [{ name: alice, user: { token: ${t.token} } }]`,
      'contexts: [{ name: g, context: { cluster: g, user: alice } }]',
      'current-context: g',
      '',
    ].join('\n'),
  );
});
afterAll(async () => {
  await t.gw.close();
  await rm(dir, { recursive: true, force: true });
});

const run = (args: string[]) =>
  execa(kubectl!, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], {
    reject: false,
  });

/** What a user must learn from the message: who, how much, how much is needed, what to run. */
function expectExplained(text: string): void {
  expect(text).toContain(ALICE);
  expect(text).toContain('holds 50000000 MIST (0.05 SUI)');
  expect(text).toContain('gas budget 200000000 MIST (0.2 SUI)');
  expect(text).toContain(
    'k3s-daas identity fund --name alice --amount 1sui --grpc-url http://127.0.0.1:9000',
  );
}

describe('gas failures are recognised', () => {
  it('from the embedded node and from Sui full node / SDK messages; others are not', () => {
    expect(gasFailureIn('gas coins hold 5 MIST, less than the gas budget 200000000')).toEqual({
      balance: 5n,
      budget: 200_000_000n,
    });
    expect(gasFailureIn('Balance of gas object 10 is lower than the needed amount: 2000')).toEqual({
      balance: 10n,
      budget: 2000n,
    });
    expect(
      gasFailureIn('Insufficient balance of 0x2::sui::SUI for owner 0xa. Required: 5, Available: 1'),
    ).toEqual({});
    expect(gasFailureIn('No valid gas coins found for the transaction.')).toEqual({});
    expect(gasFailureIn('ECONNREFUSED 127.0.0.1:9000')).toBeUndefined();
  });
});

describe('GasAdvisor.explain', () => {
  const advisor = new GasAdvisor({ balanceOf: async () => 7n });
  const alice = { name: 'alice', tokenSha256: '', address: ALICE, sealTokenId: '0x5', clusterId: '0xc' };
  it("explains SuiChainPort's 503 and a port's InsufficientGas tag; leaves other failures alone", async () => {
    const from503 = await advisor.explain(
      alice,
      statuses.unavailable(
        'could not submit the transaction to Sui: No valid gas coins found for the transaction.',
      ),
    );
    expect(from503).toMatchObject({ code: 403, reason: 'InsufficientGas' });
    expect(from503!.message).toContain(
      'holds 7 MIST (0.000000007 SUI), less than the gas budget 200000000 MIST',
    );
    const tagged = submissionGasStatus(
      new Error('Balance of gas object 7 is lower than the needed amount: 900'),
    );
    expect((await advisor.explain(alice, tagged!))!.message).toContain('gas budget 900 MIST');
    expect(submissionGasStatus(new Error('ECONNREFUSED'))).toBeUndefined();
    expect(
      await advisor.explain(alice, statuses.unavailable('could not submit: ECONNREFUSED')),
    ).toBeUndefined();
    expect(await advisor.explain(alice, statuses.forbidden('EPermissionDenied'))).toBeUndefined();
  });
});

describe.skipIf(!kubectl)(
  kubectl ? 'an identity that cannot pay gas (real kubectl)' : 'gas — skipped: kubectl is not on PATH',
  () => {
    it('kubectl get pods (discovery first) prints the address, balance, budget and the fund command', async () => {
      const r = await run(['get', 'pods']);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).not.toMatch(/unable to handle the request/);
      expectExplained(r.stderr);
      console.log(`kubectl get pods, out of gas:\n${r.stderr}`);
    });

    it('a resource request gets the same as a Status with reason InsufficientGas', async () => {
      const r = await run(['get', '--raw', '/api/v1/namespaces/default/pods']);
      expect(r.exitCode).toBe(1);
      expectExplained(r.stderr);
      const direct = await fetchStatus('/api/v1/namespaces/default/pods');
      expect(direct).toMatchObject({ kind: 'Status', code: 403, reason: 'InsufficientGas' });
    });

    it('/readyz?verbose names the identity that cannot pay; once funded the check and kubectl pass', async () => {
      const r = await run(['get', '--raw', '/readyz?verbose']);
      expect(r.exitCode).toBe(1);
      // kubectl quotes a failed probe's text: `an error on the server ("[+]ping ok\n…[-]gas failed: …")`.
      expect(r.stderr).toMatch(/\[-\]gas failed: identity \\"alice\\" cannot pay gas/);
      expectExplained(r.stderr);
      balance = 1_000_000_000n;
      const ok = await run(['get', '--raw', '/readyz?verbose']);
      expect(ok.stdout).toContain('[+]gas ok');
      expect((await run(['get', '--raw', '/api'])).stdout).toContain('APIVersions');
      balance = 50_000_000n;
    });
  },
);

async function fetchStatus(path: string): Promise<unknown> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: t.base.host,
        port: t.base.port,
        path,
        ca: t.tls.caCert,
        headers: { authorization: `Bearer ${t.token}` },
      },
      (res) => {
        let s = '';
        res.on('data', (c: Buffer) => (s += c.toString()));
        res.on('end', () => resolve(JSON.parse(s)));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
