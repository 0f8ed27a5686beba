/** `cluster create|pause|resume|bootstrap` (executors: executor.ts; bootstrap: bootstrap.ts). */
import { Command } from 'commander';
import { createCluster, setPaused, ClusterCreatedBcs } from '../../contract/index.ts';
import { findAdminCap } from '../admin-cap.ts';
import { describeFailure } from '../../sui/tx-runner.ts';
import { structName } from '../../sui/events.ts';
import { bootstrapCommand, rbacSyncCommand } from './bootstrap.ts';
import { CliContext, CliError, addGlobalOptions, parseDuration, parseSui, print } from '../context.ts';
import { parseConfidentiality } from '../confidentiality-options.ts';

export function clusterCommand(): Command {
  const cluster = new Command('cluster').description('Manage clusters on chain');
  cluster.addCommand(
    addGlobalOptions(new Command('create'))
      .description('Create a shared Cluster object; the signer receives its AdminCap')
      .requiredOption('--name <name>', 'cluster name')
      .option('--min-write-stake <amount>', 'stake a token needs for write verbs', '1000000000')
      .option('--min-executor-stake <amount>', 'stake an executor needs', '1000000000')
      .option('--request-fee <amount>', 'fee per request', '0')
      .option('--max-payload <bytes>', 'max request body bytes (≤ 112000)', '112000')
      .option('--max-response <bytes>', 'max response body bytes (≤ 240000)', '240000')
      // From measured listener restarts (src/nautilus/README.md, "Restart and the claim lease"):
      // ~3× the slowest restart under chaos, and half the gateway's 30 s wait for an answer.
      .option(
        '--claim-lease <duration>',
        'how long a claim protects a request: longer than a listener restart (its own claims survive it), shorter than clients wait (a dead listener’s requests are taken over in time)',
        '15s',
      )
      .option(
        '--max-hold <duration>',
        'how long one executor may hold a request in total (renewals included); after it the requester may cancel and another executor take over',
        '5m',
      )
      .option(
        '--executor-unbonding <duration>',
        'how long a deregistered executor’s stake stays locked and slashable',
        '1h',
      )
      .option('--stake-cooldown <duration>', 'how long unstaked SealToken SUI stays locked', '1h')
      .option(
        '--slash-penalty <amount>',
        'penalty of a claim that outlives its hold time, and the cap of one discretionary slash',
        '100000000',
      )
      .option(
        '--confidentiality <mode>',
        'seal: payloads and responses are Seal-encrypted (recorded on chain); none: in clear, only when asked for',
        'seal',
      )
      .option(
        '--seal-key-servers <ids>',
        'Seal key-server object ids, comma-separated (confidentiality seal)',
      )
      .option('--seal-threshold <n>', 'key servers needed to decrypt (default: all of them)')
      .option('--json', 'print JSON')
      .action(
        async (
          o: {
            name: string;
            minWriteStake: string;
            minExecutorStake: string;
            requestFee: string;
            maxPayload: string;
            maxResponse: string;
            claimLease: string;
            maxHold: string;
            executorUnbonding: string;
            stakeCooldown: string;
            slashPenalty: string;
            confidentiality?: string;
            sealKeyServers?: string;
            sealThreshold?: string;
            json?: boolean;
          },
          cmd: Command,
        ) => {
          const confidentiality = parseConfidentiality(o);
          const ctx = CliContext.from(cmd);
          const runner = await ctx.runner();
          const out = await runner.run((tx) =>
            createCluster(tx, ctx.packageId, {
              name: o.name,
              config: {
                minWriteStake: parseSui(o.minWriteStake, '--min-write-stake'),
                minExecutorStake: parseSui(o.minExecutorStake, '--min-executor-stake'),
                requestFee: parseSui(o.requestFee, '--request-fee'),
                maxPayloadBytes: Number(o.maxPayload),
                maxResponseBytes: Number(o.maxResponse),
                claimLeaseMs: parseDuration(o.claimLease, '--claim-lease'),
                maxHoldMs: parseDuration(o.maxHold, '--max-hold'),
                executorUnbondingMs: parseDuration(o.executorUnbonding, '--executor-unbonding'),
                stakeCooldownMs: parseDuration(o.stakeCooldown, '--stake-cooldown'),
                slashPenalty: parseSui(o.slashPenalty, '--slash-penalty'),
              },
              confidentiality,
            }),
          );
          if (!out.success) throw new CliError(`cluster creation failed: ${describeFailure(out)}`);
          const ev = out.events.find((e) => structName(e.eventType) === 'ClusterCreated');
          if (!ev) throw new CliError(`transaction ${out.digest} emitted no ClusterCreated event`);
          const created = ClusterCreatedBcs.parse(ev.bcs);
          print(
            o.json,
            {
              clusterId: created.cluster_id,
              adminCapId: created.admin_cap_id,
              name: created.name,
              confidentiality,
              txDigest: out.digest,
            },
            () =>
              [
                `cluster "${created.name}" created`,
                `  cluster id:   ${created.cluster_id}`,
                `  admin cap id: ${created.admin_cap_id}`,
                confidentiality.mode === 'seal'
                  ? `  confidentiality: seal, ${confidentiality.threshold} of ${confidentiality.keyServers.join(', ')}`
                  : '  confidentiality: none (payloads and responses in clear)',
                `  transaction:  ${out.digest}`,
              ].join('\n'),
          );
        },
      ),
  );
  for (const [name, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    cluster.addCommand(
      addGlobalOptions(new Command(name))
        .description(
          paused
            ? 'Pause the cluster (signer = cluster admin): every kubectl request is refused (EPaused) until it is resumed'
            : 'Resume a paused cluster (signer = cluster admin)',
        )
        .option('--admin-cap <id>', "AdminCap object ID (default: looked up among the signer's objects)")
        .option('--json', 'print JSON')
        .action(async (o: { adminCap?: string; json?: boolean }, cmd: Command) => {
          const ctx = CliContext.from(cmd);
          const admin = await ctx.runner();
          const adminCap = await findAdminCap(ctx, admin.address, o.adminCap);
          const out = await admin.run((tx) =>
            setPaused(tx, ctx.packageId, { adminCap, cluster: ctx.clusterId, paused }),
          );
          if (!out.success) throw new CliError(`cluster ${name} failed: ${describeFailure(out)}`);
          print(
            o.json,
            { clusterId: ctx.clusterId, paused, txDigest: out.digest },
            () => `cluster ${ctx.clusterId} ${paused ? 'paused' : 'resumed'} (transaction ${out.digest})`,
          );
        }),
    );
  }
  cluster.addCommand(bootstrapCommand());
  cluster.addCommand(rbacSyncCommand());
  return cluster;
}
