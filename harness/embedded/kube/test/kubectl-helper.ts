// Runs the real kubectl against an embedded server with an isolated HOME, cache and kubeconfig.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export function makeKubectl(kubeconfig: string) {
  const home = mkdtempSync(join(tmpdir(), 'kubectl-home-'));
  return async (
    args: string[],
    opts: { input?: string; kubeconfig?: string; timeoutMs?: number } = {},
  ): Promise<KubectlResult> => {
    const r = await execa('kubectl', args, {
      input: opts.input,
      reject: false,
      timeout: opts.timeoutMs ?? 30_000,
      env: {
        KUBECONFIG: opts.kubeconfig ?? kubeconfig,
        HOME: home,
        KUBECACHEDIR: join(home, 'cache'),
        PATH: process.env.PATH ?? '/usr/bin:/bin',
      },
      extendEnv: false,
    });
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
  };
}
