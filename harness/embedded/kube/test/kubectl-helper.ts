// Runs the real kubectl against an embedded server with an isolated HOME, cache and kubeconfig.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';

/** Whether a kubectl binary is on PATH (the kubectl suites are skipped, with a reason, without one). */
export const hasKubectl: boolean = (() => {
  try {
    execaSync('kubectl', ['version', '--client', '-o', 'json'], { timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface KubectlOptions {
  input?: string;
  kubeconfig?: string;
  timeoutMs?: number;
}

/** Environment for a kubectl process: temp HOME and cache, the given kubeconfig, nothing from ~/.kube. */
/** The stdout of a kubectl run that must succeed (the failure message carries its stderr). */
export const ok = (r: KubectlResult): string => {
  if (r.exitCode !== 0) throw new Error(`kubectl failed (${r.exitCode}): ${r.stderr}`);
  return r.stdout;
};

export function kubectlEnv(kubeconfig: string, home: string): Record<string, string> {
  return {
    KUBECONFIG: kubeconfig,
    HOME: home,
    KUBECACHEDIR: join(home, 'cache'),
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  };
}

export function makeKubectl(kubeconfig: string) {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-home-'));
  const run = async (args: string[], opts: KubectlOptions = {}): Promise<KubectlResult> => {
    const r = await execa('kubectl', args, {
      input: opts.input,
      reject: false,
      timeout: opts.timeoutMs ?? 30_000,
      env: kubectlEnv(opts.kubeconfig ?? kubeconfig, home),
      extendEnv: false,
    });
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
  };
  return Object.assign(run, {
    env: (cfg: string = kubeconfig): Record<string, string> => kubectlEnv(cfg, home),
  });
}
