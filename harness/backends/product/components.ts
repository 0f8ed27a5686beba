import { access } from 'node:fs/promises';
import { request } from 'node:https';
import { fileURLToPath } from 'node:url';
import { BackendNotReadyError, BackendUnavailableError } from '../errors.ts';
import { startManagedProcess, type ManagedProcess } from '../process.ts';
import { waitUntil } from '../readiness.ts';
import { execa } from 'execa';
import {
  bootstrapArgs,
  gatewayArgs,
  listenerArgs,
  type GatewayConfig,
  type ListenerConfig,
} from './commands.ts';

export const CLI_PIECE = 'k3s-daas CLI (bin/k3s-daas.js, src/cli)';
const CLI_BIN = fileURLToPath(new URL('../../../bin/k3s-daas.js', import.meta.url));

export async function cliAvailable(): Promise<string | undefined> {
  try {
    await access(CLI_BIN);
    return undefined;
  } catch {
    return `${CLI_PIECE} is not available: ${CLI_BIN} does not exist yet`;
  }
}

/** A product component the harness can stop and start again (the listener restart scenario). */
export interface RunningComponent {
  readonly name: string;
  running(): boolean;
  logs(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** GET over HTTPS trusting only the throw-away CA; resolves with the status code. */
export function httpsStatus(url: string, caPem: string, timeoutMs = 2_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: caPem, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * K3S_DAAS_CPU_PROF_DIR=<dir>: the gateway and listener processes write V8 CPU profiles there
 * when they stop (open them in Chrome DevTools). Node refuses --cpu-prof in NODE_OPTIONS.
 */
function profilingArgs(): string[] {
  const dir = process.env.K3S_DAAS_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

class CliComponent implements RunningComponent {
  private proc: ManagedProcess | undefined;
  private previousLogs = '';
  constructor(
    readonly name: string,
    private readonly args: string[],
    private readonly ready: (proc: ManagedProcess) => Promise<void>,
    private readonly env: Record<string, string>,
  ) {}
  running(): boolean {
    return this.proc !== undefined && this.proc.exitReason() === undefined;
  }
  logs(): string {
    return this.previousLogs + (this.proc?.logs.text() ?? '');
  }
  async start(): Promise<void> {
    const missing = await cliAvailable();
    if (missing) throw new BackendUnavailableError(CLI_PIECE, missing);
    if (this.running()) return;
    const proc = startManagedProcess({
      name: this.name,
      command: process.execPath,
      args: [...profilingArgs(), CLI_BIN, ...this.args],
      env: this.env,
    });
    this.proc = proc;
    try {
      await this.ready(proc);
    } catch (err) {
      await proc.stop();
      throw new BackendNotReadyError(this.name, (err as Error).message, proc.logs.text(40));
    }
  }
  async stop(): Promise<void> {
    if (!this.proc) return;
    await this.proc.stop();
    this.previousLogs += this.proc.logs.text() + '\n--- restarted ---\n';
    this.proc = undefined;
  }
}

function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { ...(process.env as Record<string, string>), LOG_LEVEL: process.env.LOG_LEVEL ?? 'info', ...extra };
}

const abortIfExited = (proc: ManagedProcess) => () => {
  const r = proc.exitReason();
  return r ? `process ${r}` : undefined;
};

export function gatewayComponent(
  cfg: GatewayConfig,
  caPem: string,
  readyTimeoutMs = 30_000,
): RunningComponent & { url: string } {
  const url = `https://${cfg.host}:${cfg.port}`;
  const c = new CliComponent(
    'gateway',
    gatewayArgs(cfg),
    async (proc) => {
      // Any HTTP answer (401 without a token is fine) means the TLS listener is up.
      await waitUntil('gateway HTTPS', () => httpsStatus(`${url}/version`, caPem), {
        timeoutMs: readyTimeoutMs,
        intervalMs: 100,
        shouldAbort: abortIfExited(proc),
      });
    },
    childEnv(),
  );
  return Object.assign(c, { url });
}

export function listenerComponent(
  cfg: ListenerConfig,
  readyTimeoutMs = 30_000,
): RunningComponent & { healthUrl: string } {
  const healthUrl = `http://127.0.0.1:${cfg.healthPort}/healthz`;
  const c = new CliComponent(
    'nautilus',
    listenerArgs(cfg),
    async (proc) => {
      await waitUntil(
        'nautilus health endpoint',
        async () => {
          const res = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
          if (!res.ok) throw new Error(`health answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
        },
        { timeoutMs: readyTimeoutMs, intervalMs: 100, shouldAbort: abortIfExited(proc) },
      );
    },
    childEnv(),
  );
  return Object.assign(c, { healthUrl });
}

/**
 * `k3s-daas cluster bootstrap` as an operator runs it (#18); resolves with the kubeconfigs it
 * wrote (the executor's impersonate-only one, the RBAC mirror's).
 */
export async function runClusterBootstrap(
  c: Parameters<typeof bootstrapArgs>[0],
): Promise<{ executor: string; rbacSync: string }> {
  const missing = await cliAvailable();
  if (missing) throw new BackendUnavailableError(CLI_PIECE, missing);
  const r = await execa(process.execPath, [CLI_BIN, ...bootstrapArgs(c)], { reject: false, env: childEnv() });
  if (r.exitCode !== 0)
    throw new Error(`k3s-daas cluster bootstrap failed (exit ${r.exitCode}): ${r.stderr.slice(-1500)}`);
  return (JSON.parse(r.stdout) as { kubeconfigs: { executor: string; rbacSync: string } }).kubeconfigs;
}
