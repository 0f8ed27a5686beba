import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerChainCommand } from './chain/docker.ts';
import { localnetCommand, startLocalnetChain } from './chain/localnet.ts';
import { connectRemoteChain } from './chain/remote.ts';
import { useKubeconfigCluster } from './cluster/existing.ts';
import { kindCommands, kindConfig, startKindCluster } from './cluster/kind.ts';
import { materializeKubeconfig } from './cluster/kubeconfig-file.ts';
import { requireDocker } from './docker.ts';
import { MissingToolError } from './errors.ts';
import { probeGrpcServiceInfo, waitForSuiNetwork, waitUntil } from './readiness.ts';
import { freePort, isAlive, readRecords, waitDead } from './test/helpers.ts';
import { which } from './which.ts';
// @ts-expect-error -- plain ESM test fixture without type declarations
import { startFakeSuiNetwork } from './test/fixtures/fake-sui-network.mjs';

const FAKE_SUI = fileURLToPath(new URL('./test/fixtures/fake-sui-cli.mjs', import.meta.url));
const FAKE_KIND = fileURLToPath(new URL('./test/fixtures/fake-kind-cli.mjs', import.meta.url));
const SIGINT_CHILD = fileURLToPath(new URL('./test/fixtures/sigint-child.ts', import.meta.url));

interface FakeNetwork {
  calls: { serviceInfo: number; faucet: number };
  rpcPort: number;
  faucetPort: number;
  close(): Promise<unknown>;
}
const toClose: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (toClose.length) await toClose.pop()!();
});

describe('command lines', () => {
  it('localnet uses the documented command with default ports', () => {
    expect(localnetCommand()).toEqual({
      command: 'sui',
      args: ['start', '--with-faucet', '--force-regenesis'],
    });
  });
  it('localnet passes non-default ports explicitly', () => {
    expect(localnetCommand({ suiBinary: '/opt/sui', rpcPort: 9100, faucetPort: 9200 })).toEqual({
      command: '/opt/sui',
      args: ['start', '--with-faucet=0.0.0.0:9200', '--force-regenesis', '--fullnode-rpc-port', '9100'],
    });
  });
  it('docker runs sui start with the faucet on all interfaces', () => {
    expect(dockerChainCommand()).toEqual(['sui', 'start', '--with-faucet=0.0.0.0:9123', '--force-regenesis']);
  });
  it('kind commands', () => {
    expect(kindCommands.create('c1', '/w/cfg.yaml', '/w/kc', 120)).toEqual([
      'create',
      'cluster',
      '--name',
      'c1',
      '--config',
      '/w/cfg.yaml',
      '--kubeconfig',
      '/w/kc',
      '--wait',
      '120s',
    ]);
    expect(kindCommands.delete('c1')).toEqual(['delete', 'cluster', '--name', 'c1']);
    expect(kindCommands.exportKubeconfig('c1', '/w/kc')).toEqual([
      'export',
      'kubeconfig',
      '--name',
      'c1',
      '--kubeconfig',
      '/w/kc',
    ]);
    expect(kindCommands.getClusters()).toEqual(['get', 'clusters']);
  });
  it('kind config is a single control-plane node on loopback', () => {
    expect(kindConfig({ name: 'x', nodeImage: 'kindest/node:v1.32.2' })).toBe(
      'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: x\nnetworking:\n  apiServerAddress: "127.0.0.1"\nnodes:\n  - role: control-plane\n    image: kindest/node:v1.32.2\n',
    );
  });
});

describe('readiness against a fake Sui boundary', () => {
  it('GetServiceInfo over grpc-web is decoded', async () => {
    const net = (await startFakeSuiNetwork()) as FakeNetwork;
    toClose.push(net.close);
    const info = await probeGrpcServiceInfo(`http://127.0.0.1:${net.rpcPort}`);
    expect(info.chainId).toBe('fake-chain-id');
    expect(info.chain).toBe('localnet');
  });
  it('retries the faucet until it answers', async () => {
    const net = (await startFakeSuiNetwork({ faucetFailures: 3 })) as FakeNetwork;
    toClose.push(net.close);
    await waitForSuiNetwork(`http://127.0.0.1:${net.rpcPort}`, `http://127.0.0.1:${net.faucetPort}`, {
      timeoutMs: 5_000,
      intervalMs: 20,
    });
    expect(net.calls.faucet).toBe(4);
  });
  it('times out with the last error when nothing answers', async () => {
    const port = await freePort();
    await expect(
      waitUntil('node', () => probeGrpcServiceInfo(`http://127.0.0.1:${port}`, 200), {
        timeoutMs: 300,
        intervalMs: 50,
      }),
    ).rejects.toThrow(/node: not ready after 300 ms \(last error: .+\)/);
  });
  it('aborts early when told to', async () => {
    await expect(
      waitUntil('x', () => Promise.reject(new Error('no')), {
        timeoutMs: 10_000,
        shouldAbort: () => 'process exited with code 1',
      }),
    ).rejects.toThrow('x: process exited with code 1');
  });
});

describe('localnet backend process handling (fake sui binary)', () => {
  it('starts, waits for gRPC + faucet, and stops the whole process group', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-sui-'));
    const record = join(dir, 'record.jsonl');
    process.env.FAKE_SUI_RECORD = record;
    process.env.FAKE_SUI_FAUCET_FAILURES = '2';
    try {
      const [rpcPort, faucetPort] = [await freePort(), await freePort()];
      const chain = await startLocalnetChain({
        suiBinary: FAKE_SUI,
        rpcPort,
        faucetPort,
        readyTimeoutMs: 15_000,
      });
      expect(chain.url).toBe(`http://127.0.0.1:${rpcPort}`);
      expect(chain.faucetUrl).toBe(`http://127.0.0.1:${faucetPort}`);
      const [rec] = await readRecords(record);
      expect(rec!.argv).toEqual([
        'start',
        `--with-faucet=0.0.0.0:${faucetPort}`,
        '--force-regenesis',
        '--fullnode-rpc-port',
        String(rpcPort),
      ]);
      expect(chain.logs()).toContain('Cluster started');
      await chain.stop();
      expect(await waitDead(rec!.pid)).toBe(true);
      expect(await waitDead(rec!.grandchild)).toBe(true);
    } finally {
      delete process.env.FAKE_SUI_RECORD;
      delete process.env.FAKE_SUI_FAUCET_FAILURES;
    }
  });
  it('reports an early exit with the captured log', async () => {
    process.env.FAKE_SUI_EXIT_CODE = '3';
    try {
      const [rpcPort, faucetPort] = [await freePort(), await freePort()];
      await expect(
        startLocalnetChain({ suiBinary: FAKE_SUI, rpcPort, faucetPort, readyTimeoutMs: 10_000 }),
      ).rejects.toThrow(/exited with code 3[\s\S]*failing on purpose/);
    } finally {
      delete process.env.FAKE_SUI_EXIT_CODE;
    }
  });
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s to the harness process stops sui and its children', async (signal, code) => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-sui-'));
    const record = join(dir, 'record.jsonl');
    const [rpcPort, faucetPort] = [await freePort(), await freePort()];
    const child = spawn(process.execPath, ['--import', 'tsx', SIGINT_CHILD], {
      env: {
        ...process.env,
        FAKE_SUI_BIN: FAKE_SUI,
        FAKE_SUI_RECORD: record,
        RPC_PORT: String(rpcPort),
        FAUCET_PORT: String(faucetPort),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const end = Date.now() + 30_000;
    while (!out.includes('READY') && Date.now() < end && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain('READY');
    const [rec] = await readRecords(record);
    expect(isAlive(rec!.pid)).toBe(true);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(await waitDead(rec!.pid)).toBe(true);
    expect(await waitDead(rec!.grandchild)).toBe(true);
  });
});

describe('kind backend process handling (stand-in kind binary)', () => {
  const setup = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fake-kind-'));
    process.env.FAKE_KIND_RECORD = join(dir, 'argv.jsonl');
    process.env.FAKE_KIND_STATE = join(dir, 'clusters');
    const calls = async (): Promise<string[][]> =>
      (await readFile(join(dir, 'argv.jsonl'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]);
    return { dir, calls };
  };
  afterEach(() => {
    delete process.env.FAKE_KIND_RECORD;
    delete process.env.FAKE_KIND_STATE;
  });

  it('creates from a generated config, exports the kubeconfig and deletes the cluster on stop', async () => {
    const { dir, calls } = await setup();
    const cluster = await startKindCluster({
      kindBinary: FAKE_KIND,
      name: 'h1',
      workDir: dir,
      dockerCheck: async () => {},
    });
    expect(cluster.url).toBe('https://127.0.0.1:6443');
    expect(await readFile(cluster.kubeconfigPath, 'utf8')).toContain('"current-context":"kind-h1"');
    const [get, create] = await calls();
    expect(get).toEqual(['get', 'clusters']);
    expect(create!.slice(0, 4)).toEqual(['create', 'cluster', '--name', 'h1']);
    expect(await readFile(create![5]!, 'utf8')).toBe(kindConfig({ name: 'h1' }));
    await cluster.stop();
    expect((await calls()).at(-1)).toEqual(['delete', 'cluster', '--name', 'h1']);
  });

  it('--reuse exports the existing cluster and keeps it', async () => {
    const { dir, calls } = await setup();
    await writeFile(process.env.FAKE_KIND_STATE!, 'h2\n');
    const cluster = await startKindCluster({
      kindBinary: FAKE_KIND,
      name: 'h2',
      reuse: true,
      workDir: dir,
      dockerCheck: async () => {},
    });
    await cluster.stop();
    expect((await calls()).map((c) => c[0])).toEqual(['get', 'export']);
  });

  it('refuses to clobber an existing cluster without --reuse', async () => {
    const { dir } = await setup();
    await writeFile(process.env.FAKE_KIND_STATE!, 'h3\n');
    await expect(
      startKindCluster({ kindBinary: FAKE_KIND, name: 'h3', workDir: dir, dockerCheck: async () => {} }),
    ).rejects.toThrow(
      'a kind cluster named "h3" already exists: pass --reuse to use it, or `kind delete cluster --name h3`',
    );
  });
});

describe('missing tools name what to install and the embedded fallback', () => {
  it('sui', async () => {
    const err = await startLocalnetChain({ suiBinary: 'sui-definitely-not-installed' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as Error).message).toMatch(
      /sui is not available\. Install it: the Sui CLI .*--chain embedded/,
    );
  });
  it('kind', async () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const err = await startKindCluster().catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/kind is not available\. Install it: kind .*--cluster embedded/);
    } finally {
      process.env.PATH = saved;
    }
  });
  it('docker', async () => {
    const err = await requireDocker(() =>
      Promise.reject(new Error('Could not find a working container runtime strategy')),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingToolError);
    expect((err as Error).message).toMatch(
      /docker is not available.*running Docker engine.*working container runtime.*--chain embedded --cluster embedded/,
    );
  });
  it('which finds executables only on PATH', async () => {
    expect(await which('node')).toMatch(/node$/);
    expect(await which('node', '/nonexistent')).toBeUndefined();
  });
});

describe('remote chain and kubeconfig cluster validation', () => {
  it('remote needs a URL and a way to fund', async () => {
    await expect(connectRemoteChain({})).rejects.toThrow(/needs a gRPC URL/);
    await expect(connectRemoteChain({ url: 'http://127.0.0.1:1' })).rejects.toThrow(
      /--faucet-url .* --funded-key/,
    );
    await expect(connectRemoteChain({ url: 'http://127.0.0.1:1', fundedKey: '0xabc' })).rejects.toThrow(
      /suiprivkey/,
    );
  });
  it('remote accepts a reachable node with a faucet', async () => {
    const net = (await startFakeSuiNetwork()) as FakeNetwork;
    toClose.push(net.close);
    const chain = await connectRemoteChain({
      url: `http://127.0.0.1:${net.rpcPort}`,
      faucetUrl: `http://127.0.0.1:${net.faucetPort}`,
    });
    expect(chain.kind).toBe('remote');
    expect(net.calls.serviceInfo).toBeGreaterThan(0);
  });
  it('kubeconfig: selects a context and rejects an unknown one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kc-'));
    const src = join(dir, 'config');
    await writeFile(
      src,
      `apiVersion: v1
kind: Config
clusters:
- name: a
  cluster: { server: https://127.0.0.1:6443 }
- name: b
  cluster: { server: https://127.0.0.1:7443 }
users:
- name: u
  user: { token: t }
contexts:
- name: ctx-a
  context: { cluster: a, user: u }
- name: ctx-b
  context: { cluster: b, user: u }
current-context: ctx-a
`,
    );
    const out = await materializeKubeconfig(src, dir, 'ctx-b');
    expect(out.url).toBe('https://127.0.0.1:7443');
    await expect(materializeKubeconfig(src, dir, 'nope')).rejects.toThrow(
      'kubeconfig has no context "nope"; contexts: ctx-a, ctx-b',
    );
    await expect(useKubeconfigCluster({ kubeconfigPath: join(dir, 'missing') })).rejects.toThrow(
      /cannot use kubeconfig .*missing.*--kubeconfig PATH/,
    );
  });
});

describe('boot on real backends', async () => {
  const sui = await which('sui');
  const kind = await which('kind');
  const docker = await requireDocker().then(
    () => true,
    () => false,
  );
  it.skipIf(!sui)(
    'localnet boots (skipped: `sui` not on PATH)',
    async () => {
      const chain = await startLocalnetChain({ readyTimeoutMs: 180_000 });
      try {
        expect((await probeGrpcServiceInfo(chain.url)).chainId).not.toBe('');
      } finally {
        await chain.stop();
      }
    },
    240_000,
  );
  it.skipIf(!kind || !docker)(
    'kind boots (skipped: `kind` or a Docker engine is missing)',
    async () => {
      const cluster = await startKindCluster({ name: 'k3s-daas-test' });
      await cluster.stop();
    },
    300_000,
  );
  it.skipIf(!docker)(
    'docker chain boots (skipped: no Docker engine)',
    async () => {
      const { startDockerChain } = await import('./chain/docker.ts');
      const chain = await startDockerChain();
      await chain.stop();
    },
    300_000,
  );
});
