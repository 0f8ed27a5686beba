/** `k3s-daas gateway`: the long-running gateway service (`k3s-daas nautilus` is in nautilus.ts). */
import { Command } from 'commander';
import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { existsSync, watchFile, unwatchFile } from 'node:fs';
import { IdentityStore } from '../../shared/identities.ts';
import type { Keystore } from '../../sui/keystore.ts';
import { checkGatewayCustody, custodyBanner, type CustodyVerdict } from '../../gateway/custody.ts';
import { createThrowawayTls, type TlsMaterial } from '../../shared/tls.ts';
import { CliContext, CliError, addGlobalOptions, parseDuration, parseSui } from '../context.ts';
import { untilSignal } from '../until-signal.ts';
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
