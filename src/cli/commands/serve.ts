/** `k3s-daas gateway` and `k3s-daas nautilus`: the long-running services. */
import { Command } from 'commander';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { watchFile, unwatchFile } from 'node:fs';
import { IdentityStore } from '../../shared/identities.ts';
import { createThrowawayTls, type TlsMaterial } from '../../shared/tls.ts';
import type { startNautilus } from '../../nautilus/index.ts';
import { CliContext, CliError, addGlobalOptions, parseDuration, parseSui } from '../context.ts';

async function loadOrCreateTls(dir: string, host: string): Promise<{ tls: TlsMaterial; caPath: string }> {
  const caPath = join(dir, 'ca.crt');
  try {
    const [caCert, cert, key] = await Promise.all([
      readFile(caPath, 'utf8'),
      readFile(join(dir, 'tls.crt'), 'utf8'),
      readFile(join(dir, 'tls.key'), 'utf8'),
    ]);
    return { tls: { caCert, cert, key }, caPath };
  } catch {
    const tls = await createThrowawayTls([
      host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host,
      'localhost',
      '127.0.0.1',
      '::1',
    ]);
    await mkdir(dir, { recursive: true });
    await writeFile(caPath, tls.caCert);
    await writeFile(join(dir, 'tls.crt'), tls.cert);
    await writeFile(join(dir, 'tls.key'), tls.key, { mode: 0o600 });
    return { tls, caPath };
  }
}

function untilSignal(stop: () => Promise<void>): void {
  const onSignal = () => {
    void stop().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

export function gatewayCommand(): Command {
  return addGlobalOptions(new Command('gateway'))
    .description(
      'Run the Contract API Gateway: an HTTPS Kubernetes API endpoint whose every request is a Sui Move call',
    )
    .option('--host <host>', 'address to bind (loopback by default)', '127.0.0.1')
    .option('--port <port>', 'TCP port', '6443')
    .option(
      '--tls-dir <dir>',
      'directory with ca.crt, tls.crt, tls.key (a throw-away CA is created there if missing)',
      '.k3s-daas/tls',
    )
    .option('--tls-cert <file>', 'server certificate (PEM); overrides --tls-dir, needs --tls-key')
    .option('--tls-key <file>', 'server private key (PEM)')
    .option('--timeout <duration>', 'how long to wait for a stored response before 504', '30s')
    .option('--discovery-ttl <duration>', 'cache TTL of discovery/OpenAPI documents (0s disables)', '60s')
    .option('--request-fee <amount>', 'fee paid per request (MIST or e.g. 0.001sui)', '0')
    .option('--no-events', 'do not subscribe to response events (poll Request objects only)')
    .option(
      '--watch-max <duration>',
      'longest a watch (kubectl get -w) stays open, one on-chain request per window; shorter if the client asks',
      '30m',
    )
    .action(
      async (
        opts: {
          host: string;
          port: string;
          tlsDir: string;
          tlsCert?: string;
          tlsKey?: string;
          timeout: string;
          discoveryTtl: string;
          requestFee: string;
          events: boolean;
          watchMax: string;
        },
        cmd: Command,
      ) => {
        const ctx = CliContext.from(cmd);
        let tls: TlsMaterial;
        let caPath: string;
        if (opts.tlsCert || opts.tlsKey) {
          if (!opts.tlsCert || !opts.tlsKey) throw new CliError('--tls-cert and --tls-key go together');
          tls = {
            cert: await readFile(opts.tlsCert, 'utf8'),
            key: await readFile(opts.tlsKey, 'utf8'),
            caCert: '',
          };
          caPath = '(provided by the operator)';
        } else ({ tls, caPath } = await loadOrCreateTls(opts.tlsDir, opts.host));
        // Loaded on use: each server pulls in its own dependencies (the listener's Kubernetes
        // client alone takes ~1 s to load), and every other command starts without them.
        const { startGateway } = await import('../../gateway/index.ts');
        const gw = await startGateway({
          client: ctx.client(),
          packageId: ctx.packageId,
          clusterId: ctx.clusterId,
          keystore: await ctx.keystore(),
          identities: await IdentityStore.load(ctx.identitiesPath),
          tls,
          host: opts.host,
          port: Number(opts.port),
          responseTimeoutMs: parseDuration(opts.timeout, '--timeout'),
          discoveryTtlMs: parseDuration(opts.discoveryTtl, '--discovery-ttl'),
          requestFee: parseSui(opts.requestFee, '--request-fee'),
          useEvents: opts.events,
          watchMaxMs: parseDuration(opts.watchMax, '--watch-max'),
          fundFlags: `--grpc-url ${ctx.grpcUrl} --identities ${resolve(ctx.identitiesPath)}`,
        });
        process.stderr.write(`k3s-daas gateway listening on ${gw.url} (CA: ${caPath})\n`);
        // Pick up identities issued or replaced while the gateway runs.
        const reload = () => {
          // Keys first, so a new identity never resolves to a missing key.
          Promise.all([ctx.keystore(), IdentityStore.load(ctx.identitiesPath)]).then(
            ([keystore, store]) => {
              gw.chain.setKeystore(keystore);
              gw.server.setIdentities(store);
            },
            (e: unknown) =>
              process.stderr.write(
                `k3s-daas gateway: identities/keystore not reloaded: ${(e as Error).message}\n`,
              ),
          );
        };
        watchFile(ctx.identitiesPath, { interval: 1_000 }, reload);
        watchFile(ctx.keystorePath, { interval: 1_000 }, reload);
        untilSignal(async () => {
          unwatchFile(ctx.identitiesPath);
          unwatchFile(ctx.keystorePath);
          await gw.stop();
        });
      },
    );
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
  return addGlobalOptions(new Command('nautilus'))
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
      '--impersonate',
      'send Impersonate-User: sui:<requester address> so Kubernetes RBAC re-checks the requester',
    )
    .option(
      '--health-port <port>',
      'serve /healthz, /metrics and /traces/<request id> on this port (127.0.0.1)',
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
          impersonate?: boolean;
          healthPort?: string;
          stall: string;
          reconcile: string;
          subscribe: boolean;
        },
        cmd: Command,
      ) => {
        const ctx = CliContext.from(cmd);
        const runner = await ctx.runner(opts.address);
        const keystore = await ctx.keystore();
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
        };
        if (opts.kubeconfig) so.kubeconfigPath = opts.kubeconfig;
        if (opts.context) so.context = opts.context;
        if (opts.impersonate) so.impersonate = true;
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
        const { startNautilus } = await import('../../nautilus/index.ts');
        const n = await startNautilus(so);
        process.stderr.write(
          `k3s-daas nautilus running as executor ${n.address} (Executor object ${n.executorObjectId})${n.healthUrl ? ` (health: ${n.healthUrl}/healthz)` : ''}\n`,
        );
        untilSignal(() => n.stop());
      },
    );
}
