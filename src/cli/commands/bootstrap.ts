/**
 * `k3s-daas cluster bootstrap`: with the administrator's kubeconfig, create the executor's
 * impersonate-only ServiceAccount, the RBAC mirror's ServiceAccount, their ClusterRoles and
 * bindings and the tenant admission policy (src/nautilus/bootstrap.ts), and write one
 * kubeconfig for each (0600): the listener runs with
 * `--kubeconfig executor.kubeconfig --rbac-kubeconfig rbac-sync.kubeconfig`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { KubeConfig } from '@kubernetes/client-node';
import { CliContext, CliError, addGlobalOptions, parseDuration, print } from '../context.ts';
import { POD_SECURITY_LEVELS, type PodSecurityLevel } from '../../nautilus/rbac-mirror.ts';
import { buildKubeconfig } from './access.ts';

export function bootstrapCommand(): Command {
  return addGlobalOptions(new Command('bootstrap'))
    .description(
      "Prepare a Kubernetes cluster for K3s-DaaS (admin kubeconfig): the executor's impersonate-only ServiceAccount, the RBAC mirror's ServiceAccount, their RBAC and the tenant admission policy; writes a kubeconfig for each",
    )
    .requiredOption(
      '--kubeconfig <file>',
      "the Kubernetes administrator's kubeconfig (used only for this command)",
    )
    .option('--context <name>', 'kubeconfig context')
    .option(
      '--out-dir <dir>',
      'where executor.kubeconfig and rbac-sync.kubeconfig are written',
      '.k3s-daas/kube',
    )
    .option(
      '--token-ttl <duration>',
      'validity of the ServiceAccount tokens written into the kubeconfigs',
      '365d',
    )
    .option('--json', 'print JSON')
    .action(
      async (
        o: { kubeconfig: string; context?: string; outDir: string; tokenTtl: string; json?: boolean },
        cmd: Command,
      ) => {
        const ctx = CliContext.from(cmd);
        const { K8sExecutor } = await import('../../nautilus/k8s-executor.ts');
        const { KubeObjects } = await import('../../nautilus/kube-objects.ts');
        const { bootstrapCluster } = await import('../../nautilus/bootstrap.ts');
        const kc = new KubeConfig();
        kc.loadFromFile(o.kubeconfig);
        if (o.context) kc.setCurrentContext(o.context);
        const cluster = kc.getCurrentCluster();
        if (!cluster) throw new CliError(`${o.kubeconfig} has no current cluster; pass --context`);
        const caPem = cluster.caData
          ? Buffer.from(cluster.caData, 'base64').toString('utf8')
          : cluster.caFile
            ? (await import('node:fs')).readFileSync(cluster.caFile, 'utf8')
            : undefined;
        if (!caPem)
          throw new CliError(
            `${o.kubeconfig}: the cluster has no certificate authority (certificate-authority-data or -file); the written kubeconfigs need it`,
          );
        const k8s = new K8sExecutor({
          kubeconfigPath: o.kubeconfig,
          ...(o.context ? { context: o.context } : {}),
        });
        try {
          const r = await bootstrapCluster(new KubeObjects(k8s), {
            clusterId: ctx.clusterId,
            tokenSeconds: Math.round(parseDuration(o.tokenTtl, '--token-ttl') / 1000),
          });
          const dir = resolve(o.outDir);
          await mkdir(dir, { recursive: true, mode: 0o700 });
          const paths = {
            executor: join(dir, 'executor.kubeconfig'),
            rbacSync: join(dir, 'rbac-sync.kubeconfig'),
          };
          await writeFile(
            paths.executor,
            buildKubeconfig({
              server: cluster.server,
              caPem,
              user: 'k3s-daas-executor',
              token: r.executorToken,
            }),
            { mode: 0o600 },
          );
          await writeFile(
            paths.rbacSync,
            buildKubeconfig({
              server: cluster.server,
              caPem,
              user: 'k3s-daas-rbac-sync',
              token: r.rbacSyncToken,
            }),
            { mode: 0o600 },
          );
          print(o.json, { objects: r.objects, kubeconfigs: paths, expires: r.expirationTimestamp }, () =>
            [
              `applied: ${r.objects.join(', ')}`,
              `executor kubeconfig (impersonate only): ${paths.executor} (token expires ${r.expirationTimestamp.executor})`,
              `RBAC mirror kubeconfig (RBAC-admin): ${paths.rbacSync} (token expires ${r.expirationTimestamp.rbacSync})`,
              `run: k3s-daas nautilus --kubeconfig ${paths.executor} --rbac-kubeconfig ${paths.rbacSync} …`,
            ].join('\n'),
          );
        } finally {
          k8s.close();
        }
      },
    );
}

/**
 * `k3s-daas cluster rbac-sync`: the RBAC mirror as its own process, so the RBAC-admin credential
 * need not live on the executor's host (the listener then runs without --rbac-kubeconfig; a token
 * issued since the last pass works from the pass after).
 */
export function rbacSyncCommand(): Command {
  return addGlobalOptions(new Command('rbac-sync'))
    .description(
      "Mirror the cluster's live SealTokens into Kubernetes RBAC and tenant admission, every --reconcile, until stopped (the rbac-sync kubeconfig of `cluster bootstrap`)",
    )
    .requiredOption('--kubeconfig <file>', 'the RBAC mirror kubeconfig (rbac-sync.kubeconfig)')
    .option('--context <name>', 'kubeconfig context')
    .option(
      '--pod-security <level>',
      `Pod Security level of tenant namespaces: ${POD_SECURITY_LEVELS.join(', ')}`,
      'restricted',
    )
    .option('--reconcile <duration>', 'how often the tokens are re-read', '3s')
    .action(
      async (
        o: { kubeconfig: string; context?: string; podSecurity: string; reconcile: string },
        cmd: Command,
      ) => {
        const ctx = CliContext.from(cmd);
        if (!(POD_SECURITY_LEVELS as readonly string[]).includes(o.podSecurity))
          throw new CliError(
            `--pod-security must be one of ${POD_SECURITY_LEVELS.join(', ')} (got "${o.podSecurity}")`,
          );
        const { startRbacMirror } = await import('../../nautilus/index.ts');
        const { createLogger } = await import('../../shared/logger.ts');
        const mirror = await startRbacMirror(
          { client: ctx.client(), packageId: ctx.packageId, clusterId: ctx.clusterId },
          {
            kubeconfigPath: o.kubeconfig,
            podSecurity: o.podSecurity as PodSecurityLevel,
            periodMs: parseDuration(o.reconcile, '--reconcile'),
            ...(o.context ? { context: o.context } : {}),
          },
          createLogger('rbac-sync'),
        );
        process.stderr.write(`k3s-daas rbac-sync mirroring cluster ${ctx.clusterId} every ${o.reconcile}\n`);
        const stop = () => {
          mirror.stop();
          process.exit(0);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      },
    );
}
