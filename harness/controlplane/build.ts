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
import { withBuildLock } from './build-lock.ts';
import { which } from '../backends/which.ts';
import { ETCD_VERSION, KUBE_VERSION, KWOK_VERSION } from './versions.ts';

const execFileP = promisify(execFile);

export const GO_MODULE_DIR = join(dirname(fileURLToPath(import.meta.url)), 'go');
export const KWOK_MODULE_DIR = join(GO_MODULE_DIR, 'kwok');

/**
 * One `go build` of one Go module into one cache directory. Two units, so that kwok's newer
 * dependencies never change the versions the Kubernetes binaries are built with.
 */
export interface BuildUnit {
  readonly name: string;
  readonly moduleDir: string;
  /** Cache subdirectory, named by the versions it holds. */
  readonly cacheName: string;
  /** Binary name → Go package (relative to the unit's module). */
  readonly packages: Readonly<Record<string, string>>;
  readonly ldflags: string;
}

export const KUBE_UNIT: BuildUnit = {
  name: `k8s.io/kubernetes ${KUBE_VERSION} + etcd ${ETCD_VERSION}`,
  moduleDir: GO_MODULE_DIR,
  cacheName: `${KUBE_VERSION}-etcd-${ETCD_VERSION}`,
  packages: {
    etcd: './cmd/etcd',
    'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
    'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
    'kube-scheduler': 'k8s.io/kubernetes/cmd/kube-scheduler',
  },
  ldflags: kubeLdflags(KUBE_VERSION),
};

export const KWOK_UNIT: BuildUnit = {
  name: `sigs.k8s.io/kwok ${KWOK_VERSION}`,
  moduleDir: KWOK_MODULE_DIR,
  cacheName: `kwok-${KWOK_VERSION}`,
  packages: { kwok: 'sigs.k8s.io/kwok/cmd/kwok', 'kwok-stages': './cmd/kwok-stages' },
  ldflags: '-s -w',
};

export const BUILD_UNITS: readonly BuildUnit[] = [KUBE_UNIT, KWOK_UNIT];

export const BINARY_NAMES = [
  'etcd',
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'kwok',
  'kwok-stages',
] as const;
export type ControlPlaneBinary = (typeof BINARY_NAMES)[number];
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

export function unitDir(unit: BuildUnit, env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheRoot(env), unit.cacheName);
}

/** Where every binary lives in the cache (whether or not it is built yet). */
export function binaryPaths(env: NodeJS.ProcessEnv = process.env): ControlPlaneBinaries {
  const out: Partial<Record<ControlPlaneBinary, string>> = {};
  for (const unit of BUILD_UNITS) {
    for (const b of Object.keys(unit.packages) as ControlPlaneBinary[]) out[b] = join(unitDir(unit, env), b);
  }
  return out as ControlPlaneBinaries;
}

async function unitCached(unit: BuildUnit, env: NodeJS.ProcessEnv): Promise<boolean> {
  for (const b of Object.keys(unit.packages)) {
    try {
      await access(join(unitDir(unit, env), b), constants.X_OK);
    } catch {
      return false;
    }
  }
  return true;
}

/** The cached binaries when all are present and executable, else undefined. */
export async function cachedBinaries(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ControlPlaneBinaries | undefined> {
  for (const unit of BUILD_UNITS) if (!(await unitCached(unit, env))) return undefined;
  return binaryPaths(env);
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

/** The exact `go build` argument vector of a unit (output into `outDir`, one invocation for all its binaries). */
export function goBuildArgs(unit: BuildUnit, outDir: string): string[] {
  return [
    'build',
    '-v',
    '-trimpath',
    '-ldflags',
    unit.ldflags,
    '-o',
    outDir + '/',
    ...Object.values(unit.packages),
  ];
}

/** Environment of the build: no cgo (static binaries, no C toolchain needed), module mode, go.sum as committed. */
export function goBuildEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...env,
    CGO_ENABLED: '0',
    GO111MODULE: 'on',
    GOFLAGS: [env.GOFLAGS, '-mod=readonly'].filter(Boolean).join(' '),
  };
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
  if (typeof out.GoMod !== 'string')
    throw new Error(`go mod download gave no GoMod path for k8s.io/kubernetes@${version}`);
  return out.GoMod;
}

async function sizesOf(paths: ControlPlaneBinaries): Promise<Record<ControlPlaneBinary, number>> {
  const entries = await Promise.all(BINARY_NAMES.map(async (b) => [b, (await stat(paths[b])).size] as const));
  return Object.fromEntries(entries) as Record<ControlPlaneBinary, number>;
}

/** Number of non-standard-library packages of a unit (what `go build -v` will name). */
async function countPackages(
  go: string,
  unit: BuildUnit,
  env: NodeJS.ProcessEnv,
): Promise<number | undefined> {
  try {
    const { stdout } = await execFileP(
      go,
      ['list', '-deps', '-f', '{{if not .Standard}}{{.ImportPath}}{{end}}', ...Object.values(unit.packages)],
      { cwd: unit.moduleDir, env, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout.split('\n').filter(Boolean).length;
  } catch {
    return undefined;
  }
}

export const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Builds one unit into a temporary directory next to its cache directory and renames it into
 * place, so an interrupted build never leaves a half-filled cache that looks complete.
 */
async function buildUnit(
  unit: BuildUnit,
  go: string,
  env: NodeJS.ProcessEnv,
  progress: (l: string) => void,
): Promise<number> {
  const started = Date.now();
  const dir = unitDir(unit, env);
  const tmp = `${dir}.building-${process.pid}`;
  await mkdir(tmp, { recursive: true });
  const buildEnv = goBuildEnv(env);
  progress(`[controlplane] building ${unit.name} into ${dir}`);
  progress(`[controlplane] ${unit.cacheName}: resolving packages (downloads modules on first use)`);
  const total = await countPackages(go, unit, buildEnv);
  let done = 0;
  const tail: string[] = [];
  const report = (): void => {
    const of = total ? `/${total}` : '';
    progress(
      `[controlplane] ${unit.cacheName}: ${done}${of} packages, ${Math.round((Date.now() - started) / 1000)} s`,
    );
  };
  const timer = setInterval(report, 20_000);
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(go, goBuildArgs(unit, tmp), {
      cwd: unit.moduleDir,
      env: buildEnv,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.on('error', reject);
    let partial = '';
    child.stderr.on('data', (buf: Buffer) => {
      const lines = (partial + buf.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        // -v names each package as it is compiled; anything else is a message worth keeping.
        if (/^[\w.\-/~]+$/.test(line)) done++;
        else {
          tail.push(line);
          if (tail.length > 60) tail.shift();
        }
      }
    });
    child.on('close', (c) => resolve(c ?? 1));
  }).finally(() => clearInterval(timer));
  if (code !== 0) {
    await rm(tmp, { recursive: true, force: true });
    throw new Error(
      `building ${unit.name} failed (go build exited ${code} in ${unit.moduleDir}); it needs Go ≥ 1.26 and the Go module proxy (GOPROXY).\n${tail.join('\n')}`,
    );
  }
  const durationMs = Date.now() - started;
  await writeFile(
    join(tmp, 'BUILD-INFO.json'),
    JSON.stringify(
      { unit: unit.name, durationMs, builtAt: new Date().toISOString(), go: await goVersion(go) },
      null,
      2,
    ) + '\n',
  );
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await rename(tmp, dir);
  progress(`[controlplane] ${unit.cacheName} built in ${(durationMs / 1000).toFixed(0)} s`);
  return durationMs;
}

async function goVersion(go: string): Promise<string> {
  return (await execFileP(go, ['version'])).stdout.trim();
}

/** Returns the cached binaries, building the missing units first. */
export async function ensureControlPlaneBinaries(opts: EnsureOptions = {}): Promise<BuildReport> {
  const env = opts.env ?? process.env;
  const progress = opts.onProgress ?? ((line: string) => process.stderr.write(line + '\n'));
  const started = Date.now();
  let built = false;
  let go: string | undefined;
  for (const unit of BUILD_UNITS) {
    if (await unitCached(unit, env)) continue;
    go ??= opts.goBinary ?? (await which('go', env.PATH ?? ''));
    if (!go) throw missingGo();
    const goBin = go;
    built =
      (await withBuildLock(
        cacheRoot(env),
        async () => {
          // Another process may have built it while this one waited.
          if (await unitCached(unit, env)) return false;
          await buildUnit(unit, goBin, env, progress);
          return true;
        },
        (pid) =>
          progress(`[controlplane] waiting for the build in process ${pid} (${cacheRoot(env)}/.build.lock)`),
      )) || built;
  }
  const binaries = binaryPaths(env);
  const sizes = await sizesOf(binaries);
  const durationMs = Date.now() - started;
  if (built) {
    progress(
      `[controlplane] ready in ${(durationMs / 1000).toFixed(0)} s: ` +
        BINARY_NAMES.map((b) => `${b} ${mb(sizes[b])}`).join(', '),
    );
  }
  return { binaries, built, durationMs, sizes };
}
