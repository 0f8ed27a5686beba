/**
 * `k3s-daas kubeconfig --exec` as a user meets it: written in one directory, used by the real
 * kubectl from another, with the credential plugin run the way kubectl runs it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainOutcome, ChainPort } from '../gateway/chain-port.ts';
import { startTestGateway, type TestGateway } from '../gateway/testing/test-gateway.ts';

const BIN = resolve('bin/k3s-daas.js');
const kubectl = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => join(d, 'kubectl'))
  .find((p) => existsSync(p));

/** Answers every request with an empty list; this test is about authentication only. */
const chain: ChainPort = {
  execute: async (): Promise<ChainOutcome> => ({
    kind: 'response',
    txDigest: 'D',
    requestObjectId: '0x1',
    statusCode: 200,
    contentType: 'application/json',
    body: Buffer.from('{}'),
  }),
};

let t: TestGateway;
let home: string;
let elsewhere: string;

beforeAll(async () => {
  t = await startTestGateway(chain);
  home = await mkdtemp(join(tmpdir(), 'k3s-daas-kc-home-'));
  elsewhere = await mkdtemp(join(tmpdir(), 'k3s-daas-kc-elsewhere-'));
  await writeFile(join(home, 'ca.crt'), t.tls.caCert);
  await writeFile(join(home, 'alice.token'), `${t.token}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await t.gw.close();
  await rm(home, { recursive: true, force: true });
  await rm(elsewhere, { recursive: true, force: true });
});

interface ExecUser {
  command: string;
  args: string[];
}

describe.skipIf(!kubectl)(
  kubectl ? 'kubeconfig --exec (real kubectl)' : 'kubeconfig --exec — skipped: kubectl is not on PATH',
  () => {
    it('works from any directory: absolute node, CLI and token file; kubectl authenticates with it', async () => {
      // Relative paths, as a user types them in the directory holding the files.
      const w = await execa(
        'node',
        [
          BIN,
          'kubeconfig',
          '--exec',
          '--name',
          'alice',
          '--server',
          `https://${t.base.host}:${t.base.port}`,
          '--ca',
          'ca.crt',
          '--token-file',
          'alice.token',
          '-o',
          'kc.yaml',
        ],
        { cwd: home, reject: false },
      );
      expect(w.stderr).toContain('written to kc.yaml');
      expect(w.exitCode).toBe(0);
      const kc = parse(await readFile(join(home, 'kc.yaml'), 'utf8')) as {
        users: Array<{ user: { exec: ExecUser } }>;
      };
      const exec = kc.users[0]!.user.exec;
      expect(isAbsolute(exec.command)).toBe(true);
      expect(exec.args).toEqual([BIN, 'credential', '--token-file', join(home, 'alice.token')]);

      // /k3s-daas/metrics answers only a registered bearer token: this proves kubectl got one.
      const r = await execa(
        kubectl!,
        ['--kubeconfig', join(home, 'kc.yaml'), 'get', '--raw', '/k3s-daas/metrics'],
        {
          cwd: elsewhere,
          reject: false,
        },
      );
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toContain('k3s_daas_gateway_requests_total');
    }, 60_000);

    it('the plugin answers with an expiring ExecCredential, in about the time Node takes to start', async () => {
      const kc = parse(await readFile(join(home, 'kc.yaml'), 'utf8')) as {
        users: Array<{ user: { exec: ExecUser } }>;
      };
      const { command, args } = kc.users[0]!.user.exec;
      const times: number[] = [];
      let out = '';
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        out = (await execa(command, args, { cwd: elsewhere })).stdout;
        times.push(performance.now() - started);
      }
      const cred = JSON.parse(out) as {
        kind: string;
        status: { token: string; expirationTimestamp: string };
      };
      expect(cred.kind).toBe('ExecCredential');
      expect(cred.status.token).toBe(t.token);
      const expiresIn = Date.parse(cred.status.expirationTimestamp) - Date.now();
      expect(expiresIn).toBeGreaterThan(3_500_000);
      expect(expiresIn).toBeLessThanOrEqual(3_600_000);
      times.sort((a, b) => a - b);
      // Reported, not asserted (latency targets live in benchmarks): the target is ≤ 300 ms.
      console.log(
        `k3s-daas credential: median ${times[2]!.toFixed(0)} ms over 5 runs (min ${times[0]!.toFixed(0)})`,
      );
    }, 60_000);
  },
);
