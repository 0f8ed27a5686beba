/**
 * Builds the real control-plane binaries (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler) from the wrapper Go module in ./go into a per-version cache outside the
 * repository, `~/.cache/k3s-daas/kube/<version>/` (K3S_DAAS_KUBE_CACHE overrides the root),
 * only when they are missing. One `go build` for all four so the shared packages compile once.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { access, constants, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { MissingToolError } from '../backends/errors.ts';
import { which } from '../backends/which.ts';
import { ETCD_VERSION, KUBE_VERSION } from './versions.ts';

const execFileP = promisify(execFile);

export const GO_MODULE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'go');

/** The binaries and the Go package each is built from (relative to the wrapper module). */
export const CONTROL_PLANE_BINARIES = {
  etcd: './cmd/etcd',
  'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
  'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
  'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
} as const;
export type ControlPlaneBinary = keyof typeof CONTROL_PLANE_BINARIES;
export const BINARY_NAMES = Object.keys(CONTROL_PLANE_BINARIES) as ControlPlaneBinary[];

export type ControlPlaneBinaries = Record<ControlPlaneBinary, string>;

export function missingGo(): MissingToolError {
  return new MissingToolError(
    'go',
    'Go ≥ 1.26 on PATH (`apt-get install golang-go` if new enough, or the go.dev tarball) with access to the Go module proxy; the first build takes about 10–20 minutes on 2 cores',
    'run with `--cluster embedded` (the default), which needs nothing installed',
  );
}

/** Root of the binary cache: $K3S_DAAS_KUBE_CACHE, else $XDG_CACHE_HOME/k3s-daas/kube, else ~/.cache/k3s-daas/kube. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.K3S_DAAS_KUBE_CACHE) return env.K3S_DAAS_KUBE_CACHE;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'k3s-daas', 'kube');
}

/** Cache directory of one build: the Kubernetes and etcd versions both name it. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), `${KUBE_VERSION}-etcd-${ETCD_VERSION}`);
}

export function binaryPaths(dir: string): ControlPlaneBinaries {
  return Object.fromEntries(BINARY_NAMES.map((b) => [b, join(dir, b)])) as ControlPlaneBinaries;
}

/** The cached binaries when all four are present and executable, else undefined. */
export async function cachedBinaries(env: NodeJS.ProcessEnv = process.env): Promise<ControlPlaneBinaries | undefined> {
  const paths = binaryPaths(cacheDir(env));
  for (const p of Object.values(paths)) {
    try {
      await access(p, constants.X_OK);
    } catch {
      return undefined;
    }
  }
  return paths;
}

/**
 * The -ldflags of Kubernetes' own build (hack/lib/version.sh) so that /version reports the
 * release instead of v0.0.0-master, plus -s -w to leave out the symbol tables.
 */
export function kubeLdflags(kubeVersion: string): string {
  const m = /^v1\.(\d+)\.\d+$/.exec(kubeVersion);
  if (!m) throw new Error(`"${kubeVersion}" is not a Kubernetes release (expected v1.MINOR.PATCH)`);
  const vars: Record<string, string> = {
    gitVersion: kubeVersion,
    gitMajor: '1',
    gitMinor: m[1]!,
    gitTreeState: 'clean',
    buildDate: '1970-01-01T00:00:00Z',
  };
  const pkgs = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'];
  const xs = pkgs.flatMap((p) => Object.entries(vars).map(([k, v]) => `-X ${p}.${k}=${v}`));
  return ['-s', '-w', ...xs].join(' ');
}

/** The exact `go build` argument vector (output into `outDir`, one invocation for all). */
export function goBuildArgs(outDir: string, kubeVersion = KUBE_VERSION): string[] {
  return [
    'build',
    '-v',
    '-trimpath',
    '-ldflags',
    kubeLdflags(kubeVersion),
    '-o',
    outDir + '/',
    ...Object.values(CONTROL_PLANE_BINARIES),
  ];
}

/** Environment of the build: no cgo (static binaries, no C toolchain needed), module mode. */
export function goBuildEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, CGO_ENABLED: '0', GOFLAGS: [env.GOFLAGS, '-mod=mod'].filter(Boolean).join(' '), GO111MODULE: 'on' };
}

export interface BuildReport {
  readonly binaries: ControlPlaneBinaries;
  /** False when everything came from the cache. */
  readonly built: boolean;
  readonly durationMs: number;
  readonly sizes: Record<ControlPlaneBinary, number>;
}

export interface EnsureOptions {
  /** Progress lines ("[controlplane] 312/1840 packages …"); default: stderr. */
  onProgress?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** The go binary (default: `go` from PATH). */
  goBinary?: string;
}

/** Path of k8s.io/kubernetes' go.mod at `version`, downloaded into the module cache if needed. */
export function kubeGoModPath(version: string): string {
  const out = JSON.parse(
    execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${version}`], { encoding: 'utf8' }),
  ) as { GoMod?: unknown };
  if (typeof out.GoMod !== 'string') throw new Error(`go mod download gave no GoMod path for k8s.io/kubernetes@${version}`);
  return out.GoMod;
}

async function sizesOf(paths: ControlPlaneBinaries): Promise<Record<ControlPlaneBinary, number>> {
  const entries = await Promise.all(BINARY_NAMES.map(async (b) => [b, (await stat(paths[b])).size] as const));
  return Object.fromEntries(entries) as Record<ControlPlaneBinary, number>;
}

/** Number of packages `go build` will compile for the four binaries (for the progress count). */
async function countPackages(go: string, env: NodeJS.ProcessEnv): Promise<number | undefined> {
  try {
    const { stdout } = await execFileP(go, ['list', '-deps', ...Object.values(CONTROL_PLANE_BINARIES)], {
      cwd: GO_MODULE_DIR,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.split('\n').filter(Boolean).length;
  } catch {
    return undefined;
  }
}

/**
 * Returns the cached binaries, building them first when any is missing. The build goes to a
 * temporary directory next to the cache and is renamed into place, so an interrupted build
 * never leaves a half-filled cache that looks complete.
 */
export async function ensureControlPlaneBinaries(opts: EnsureOptions = {}): Promise<BuildReport> {
  const env = opts.env ?? process.env;
  const progress = opts.onProgress ?? ((line: string) => process.stderr.write(line + '\n'));
  const started = Date.now();
  const cached = await cachedBinaries(env);
  if (cached) return { binaries: cached, built: false, durationMs: Date.now() - started, sizes: await sizesOf(cached) };

  const go = opts.goBinary ?? (await which('go', env.PATH ?? ''));
  if (!go) throw missingGo();
  const dir = cacheDir(env);
  const tmp = `${dir}.building-${process.pid}`;
  await mkdir(tmp, { recursive: true });
  const buildEnv = goBuildEnv(env);
  progress(`[controlplane] building k8s.io/kubernetes ${KUBE_VERSION} + etcd ${ETCD_VERSION} into ${dir} (first time only; ~10–20 min on 2 cores)`);
  const total = await countPackages(go, buildEnv);
  let done = 0;
  let lastReport = 0;
  const stderrTail: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(go, goBuildArgs(tmp), { cwd: GO_MODULE_DIR, env: buildEnv, stdio: ['ignore', 'inherit', 'pipe'] });
    child.on('error', reject);
    let partial = '';
    child.stderr.on('data', (buf: Buffer) => {
      const lines = (partial + buf.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        // -v prints one import path per compiled package; anything else is a message worth keeping.
        if (/^[\w.\-/]+$/.test(line)) done++;
        else {
          stderrTail.push(line);
          if (stderrTail.length > 60) stderrTail.shift();
        }
      }
      const now = Date.now();
      if (now - lastReport > 15_000) {
        lastReport = now;
        const of = total ? `/${total}` : '';
        progress(`[controlplane] ${done}${of} packages compiled, ${Math.round((now - started) / 1000)} s`);
      }
    });
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(
      `building the control plane failed (go build exited ${code} in ${GO_MODULE_DIR}); Go ≥ 1.26 and the Go module proxy are needed.\n${stderrTail.join('\n')}`,
    );
  }
  const durationMs = Date.now() - started;
  await writeFile(
    join(tmp, 'BUILD-INFO.json'),
    JSON.stringify({ kube: KUBE_VERSION, etcd: ETCD_VERSION, durationMs, builtAt: new Date().toISOString() }, null, 2) + '\n',
  );
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await rename(tmp, dir);
  const binaries = binaryPaths(dir);
  const sizes = await sizesOf(binaries);
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
  progress(
    `[controlplane] built in ${(durationMs / 1000).toFixed(0)} s: ` +
      BINARY_NAMES.map((b) => `${b} ${mb(sizes[b])}`).join(', '),
  );
  return { binaries, built: true, durationMs, sizes };
}
