/** `k3s-daas gateway` and `k3s-daas nautilus`: the long-running services. */
import { Command } from 'commander';
import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { existsSync, watchFile, unwatchFile } from 'node:fs';
import { IdentityStore } from '../../shared/identities.ts';
import type { Keystore } from '../../shared/keystore.ts';
import { checkGatewayCustody, custodyBanner, type CustodyVerdict } from '../../gateway/custody.ts';
import { checkExecutorKeystore } from '../../nautilus/keystore-guard.ts';
import { SealTokenIssuedBcs, contractType } from '../../contract/index.ts';
import { listEventsAfter } from '../../shared/sui-events.ts';
import { createThrowawayTls, type TlsMaterial } from '../../shared/tls.ts';
import type { startNautilus } from '../../nautilus/index.ts';
import {
  CliContext,
  CliError,
  addGlobalOptions,
  defaultGatewayKeystorePath,
  parseDuration,
  parseSui,
} from '../context.ts';
import { addSealFlags, sealOptions, type SealFlags } from '../seal-flags.ts';

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
  return addSealFlags(addGlobalOptions(new Command('gateway')))
    .description(
      'Run the Contract API Gateway: an HTTPS Kubernetes API endpoint whose every request is a Sui Move call',
    )
    .option('--host <host>', 'address to bind (loopback; another address needs --shared)', '127.0.0.1')
    .option(
      '--shared',
      "serve several users from one keystore: a CUSTODIAL gateway (it signs for every user whose key it holds; whoever controls its host is all of them). Without it the gateway holds one user's key only",
    )
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
          shared?: boolean;
        } & SealFlags,
        cmd: Command,
      ) => {
        const ctx = CliContext.from(cmd);
        const keystorePath = ctx.gatewayKeystorePath;
        // Who this gateway may sign for, checked before anything starts (and again on every reload).
        const custody = async (): Promise<{
          keystore: Keystore;
          identities: IdentityStore;
          verdict: Extract<CustodyVerdict, { ok: true }>;
        }> => {
          if (!existsSync(keystorePath))
            throw new CliError(
              `no gateway keystore at ${keystorePath}: it holds the key of the user this gateway signs for; put it there with "k3s-daas token issue --new-key --recipient-keystore ${keystorePath}" or pass --keystore <file>`,
            );
          const keystore = await ctx.keystore(keystorePath);
          const identities = await IdentityStore.load(ctx.identitiesPath);
          const mode = (await stat(keystorePath)).mode & 0o777;
          const verdict = checkGatewayCustody({
            shared: opts.shared === true,
            host: opts.host,
            keystorePath,
            keystoreMode: mode,
            keys: keystore.addresses,
            identities: identities.identities,
          });
          if (!verdict.ok) throw new CliError(verdict.reason);
          return { keystore, identities, verdict };
        };
        const first = await custody().catch((e: unknown) => {
          throw new CliError(`k3s-daas gateway refused to start: ${(e as Error).message}`);
        });
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
          keystore: first.keystore,
          identities: first.identities,
          tls,
          host: opts.host,
          port: Number(opts.port),
          responseTimeoutMs: parseDuration(opts.timeout, '--timeout'),
          discoveryTtlMs: parseDuration(opts.discoveryTtl, '--discovery-ttl'),
          requestFee: parseSui(opts.requestFee, '--request-fee'),
          useEvents: opts.events,
          watchMaxMs: parseDuration(opts.watchMax, '--watch-max'),
          seal: sealOptions(opts),
          fundFlags: `--grpc-url ${ctx.grpcUrl} --identities ${resolve(ctx.identitiesPath)}`,
        });
        process.stderr.write(
          `k3s-daas gateway listening on ${gw.url} (CA: ${caPath})\n  ${custodyBanner(first.verdict)}; keystore ${keystorePath}\n`,
        );
        // Pick up identities issued or replaced while the gateway runs, within the same custody rule.
        const reload = () => {
          // Keys first, so a new identity never resolves to a missing key.
          custody().then(
            ({ keystore, identities: store }) => {
              gw.chain.setKeystore(keystore);
              gw.server.setIdentities(store);
            },
            (e: unknown) =>
              process.stderr.write(
                `k3s-daas gateway: identities/keystore not reloaded (still serving the previous ones): ${(e as Error).message}\n`,
              ),
          );
        };
        watchFile(ctx.identitiesPath, { interval: 1_000 }, reload);
        watchFile(keystorePath, { interval: 1_000 }, reload);
        untilSignal(async () => {
          unwatchFile(ctx.identitiesPath);
          unwatchFile(keystorePath);
          await gw.stop();
        });
      },
    );
}

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
        } & SealFlags,
        cmd: Command,
      ) => {
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
