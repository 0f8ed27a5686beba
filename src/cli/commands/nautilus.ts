/**
 * `k3s-daas nautilus`: the listener service. Its own module, loaded alone by main.ts (not the
 * whole program): a restarted listener must be claiming again well inside the claim lease (#16).
 */
import { Command } from 'commander';
import { checkExecutorKeystore } from '../../nautilus/keystore-guard.ts';
import { SealTokenIssuedBcs, contractType } from '../../contract/index.ts';
import { IdentityStore } from '../../shared/identities.ts';
import { listEventsAfter } from '../../sui/events.ts';
import type { startNautilus } from '../../nautilus/index.ts';
import { POD_SECURITY_LEVELS, type PodSecurityLevel } from '../../nautilus/rbac-mirror.ts';
import {
  CliContext,
  CliError,
  addGlobalOptions,
  defaultGatewayKeystorePath,
  parseDuration,
  parseSui,
} from '../context.ts';
import { addSealFlags, sealOptions, type SealFlags } from '../seal-flags.ts';
import { untilSignal } from '../until-signal.ts';

/** Users of the cluster: SealToken recipients on chain, and the identities file's addresses. */
async function identityAddresses(ctx: CliContext): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const f of listEventsAfter(
    ctx.client(),
    contractType(ctx.packageId, 'SealTokenIssued'),
    undefined,
  )) {
    if (!f.event) continue;
    const e = SealTokenIssuedBcs.parse(f.event.bcs);
    if (e.cluster_id === ctx.clusterId)
      out.set(e.recipient, `SealToken ${e.token_id} of this cluster was issued to it`);
  }
  for (const id of (await IdentityStore.load(ctx.identitiesPath)).identities)
    if (!out.has(id.address)) out.set(id.address, `identity "${id.name}" in ${ctx.identitiesPath}`);
  return out;
}

/**
 * Fault injection for crash-recovery tests: K3S_DAAS_NAUTILUS_CRASH_AT=<point>
 * (after-claim | after-execute | before-store) kills the process with SIGKILL
 * the first time a request reaches that point — a real, unclean crash.
 */
function crashHook(point: string): NonNullable<Parameters<typeof startNautilus>[0]['faultHook']> {
  return (at) => {
    if (at === point) {
      process.stderr.write(
        `k3s-daas nautilus: K3S_DAAS_NAUTILUS_CRASH_AT=${point} reached, killing myself\n`,
      );
      process.kill(process.pid, 'SIGKILL');
    }
  };
}

export function nautilusCommand(): Command {
  return addSealFlags(addGlobalOptions(new Command('nautilus')))
    .description(
      'Run the Nautilus listener: executes K8sAPIRequest events against Kubernetes and stores the responses on chain',
    )
    .option(
      '--kubeconfig <file>',
      'kubeconfig of the cluster to execute against (default: $KUBECONFIG or ~/.kube/config)',
    )
    .option('--context <name>', 'kubeconfig context')
    .option('--state-dir <dir>', 'cursor + journal directory (crash-safe state)', '.k3s-daas/nautilus')
    .option('--concurrency <n>', 'requests processed at once', '8')
    .option(
      '--watch-window <duration>',
      'a watch (kubectl get -w, rollout status, wait) answers with the events of one window of at most this long; the client then watches again',
      '10s',
    )
    .option('--watch-concurrency <n>', 'watches held open at once, beside --concurrency other requests', '8')
    .option(
      '--register-stake <amount>',
      'register as executor with this stake at start (MIST or e.g. 1sui); needs an admission from the cluster administrator (k3s-daas executor admit)',
    )
    .option(
      '--signing-key-file <file>',
      'ed25519 key the answers are signed with (hex, mode 0600; created when missing; default <state-dir>/answer-signing.key)',
    )
    .option(
      '--allow-admin-credential',
      'run although the --kubeconfig credential is an administrator (system:masters or cluster-admin); /readyz and the log say so. Default: refuse (use the executor kubeconfig of `k3s-daas cluster bootstrap`)',
    )
    .option(
      '--rbac-kubeconfig <file>',
      "mirror the cluster's SealTokens into Kubernetes RBAC and tenant admission from this process, with this (RBAC-admin) kubeconfig: the rbac-sync one `k3s-daas cluster bootstrap` writes",
    )
    .option('--rbac-context <name>', 'context of --rbac-kubeconfig')
    .option(
      '--pod-security <level>',
      'Pod Security Admission level enforced on namespaces tokens can write to: privileged, baseline or restricted',
      'restricted',
    )
    .option(
      '--rbac-reconcile <duration>',
      'how often the RBAC mirror re-reads the tokens (revocation → RBAC gone)',
      '3s',
    )
    .option(
      '--health-port <port>',
      'serve /healthz, /readyz, /metrics and /traces/<request id> on this port (127.0.0.1)',
    )
    .option('--stall <duration>', 'reconnect the event stream after this long without progress', '15s')
    .option('--reconcile <duration>', 'how often open requests are re-checked', '3s')
    .option('--no-subscribe', 'poll ListEvents instead of SubscribeEvents')
    .option(
      '--shard <i/n>',
      'share work with n listeners: take requests of shard i at once, others only if still open after one reconcile period',
    )
    .option('--address <address>', 'executor address (its key must be in the keystore); same as --signer')
    .action(
      async (
        opts: {
          shard?: string;
          address?: string;
          kubeconfig?: string;
          context?: string;
          stateDir: string;
          concurrency: string;
          watchWindow: string;
          watchConcurrency: string;
          registerStake?: string;
          signingKeyFile?: string;
          healthPort?: string;
          allowAdminCredential?: boolean;
          rbacKubeconfig?: string;
          rbacContext?: string;
          podSecurity: string;
          rbacReconcile: string;
          stall: string;
          reconcile: string;
          subscribe: boolean;
        } & SealFlags,
        cmd: Command,
      ) => {
        const loadedMs = Math.round(process.uptime() * 1000);
        // Loaded while the keystore guard reads the chain (a restart must beat the claim lease).
        const nautilus = import('../../nautilus/index.ts');
        nautilus.catch(() => undefined); // awaited below; a refusal first must not leave it unhandled
        const ctx = CliContext.from(cmd);
        const runner = await ctx.runner(opts.address);
        const keystore = await ctx.keystore();
        const refused = checkExecutorKeystore({
          keystorePath: ctx.keystorePath,
          gatewayKeystorePath: defaultGatewayKeystorePath(),
          keys: keystore.addresses,
          executor: runner.address,
          identityAddresses: await identityAddresses(ctx),
        });
        if (refused) throw new CliError(`k3s-daas nautilus refused to start: ${refused}`);
        const so: Parameters<typeof startNautilus>[0] = {
          client: ctx.client(),
          packageId: ctx.packageId,
          clusterId: ctx.clusterId,
          signer: keystore.require(runner.address),
          stateDir: opts.stateDir,
          concurrency: Number(opts.concurrency),
          watch: {
            maxMs: parseDuration(opts.watchWindow, '--watch-window'),
            concurrency: Number(opts.watchConcurrency),
          },
          stallMs: parseDuration(opts.stall, '--stall'),
          reconcileMs: parseDuration(opts.reconcile, '--reconcile'),
          useSubscription: opts.subscribe,
          seal: sealOptions(opts),
        };
        if (opts.kubeconfig) so.kubeconfigPath = opts.kubeconfig;
        if (opts.context) so.context = opts.context;
        if (opts.allowAdminCredential) so.allowAdminCredential = true;
        if (!(POD_SECURITY_LEVELS as readonly string[]).includes(opts.podSecurity))
          throw new CliError(
            `--pod-security must be one of ${POD_SECURITY_LEVELS.join(', ')} (got "${opts.podSecurity}")`,
          );
        if (opts.rbacKubeconfig)
          so.rbac = {
            kubeconfigPath: opts.rbacKubeconfig,
            podSecurity: opts.podSecurity as PodSecurityLevel,
            periodMs: parseDuration(opts.rbacReconcile, '--rbac-reconcile'),
            ...(opts.rbacContext ? { context: opts.rbacContext } : {}),
          };
        if (opts.registerStake) so.registerStake = parseSui(opts.registerStake, '--register-stake');
        if (opts.signingKeyFile) so.signingKeyFile = opts.signingKeyFile;
        if (opts.healthPort) so.health = { port: Number(opts.healthPort) };
        if (opts.shard) {
          const m = /^(\d+)\/(\d+)$/.exec(opts.shard);
          if (!m || Number(m[1]) >= Number(m[2]))
            throw new CliError(`--shard must be i/n with 0 ≤ i < n, e.g. 0/2 (got "${opts.shard}")`);
          so.shard = { index: Number(m[1]), count: Number(m[2]) };
        }
        const crashAt = process.env.K3S_DAAS_NAUTILUS_CRASH_AT;
        if (crashAt) so.faultHook = crashHook(crashAt);
        const { startNautilus } = await nautilus;
        const n = await startNautilus(so);
        process.stderr.write(
          `k3s-daas nautilus running as executor ${n.address} (Executor object ${n.executorObjectId})${n.healthUrl ? ` (health: ${n.healthUrl}/healthz)` : ''}, ready ${Math.round(process.uptime() * 1000)} ms after the process started (CLI loaded at ${loadedMs} ms)\n`,
        );
        untilSignal(() => n.stop());
      },
    );
}
