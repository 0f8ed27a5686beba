/**
 * `executor admit|register|deregister|withdraw|slash|show`: the executor's
 * life on chain. The administrator admits an account (an ExecutorCap); the
 * account registers with its answer-signing key and stake; deregistration
 * starts unbonding, after which the stake is withdrawn; faults are slashed.
 */
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import {
  admitExecutor,
  deregisterExecutor,
  slashExecutor,
  slashLapsedClaim,
  slashEquivocation,
  withdrawExecutorStake,
  ClusterBcs,
} from '../../contract/index.ts';
import { AnswerSigner } from '../../nautilus/answer-signer.ts';
import { ensureExecutor, findExecutor, ExecutorNotAdmitted } from '../../nautilus/executor-registration.ts';
import { normalizeAddress } from '../../sui/keystore.ts';
import { describeFailure } from '../../sui/tx-runner.ts';
import { findAdminCap } from '../admin-cap.ts';
import { CliContext, CliError, addGlobalOptions, parseSui, print } from '../context.ts';

const DEFAULT_KEY_FILE = '.k3s-daas/nautilus/answer-signing.key';

/** The signer's active Executor object, or a CliError saying how to get one. */
async function ownExecutor(ctx: CliContext, account: string): Promise<string> {
  const found = await findExecutor(ctx.client(), {
    packageId: ctx.packageId,
    clusterId: ctx.clusterId,
    account,
    signingKey: new Uint8Array(),
  });
  if (!found)
    throw new CliError(
      `${account} has no active executor on cluster ${ctx.clusterId}; register it first (k3s-daas executor register)`,
    );
  return found.objectId;
}

/** Equivocation evidence from a JSON file of hex strings, with a message naming what is wrong. */
function readEvidence(file: string): {
  a: { intent: Uint8Array; signature: Uint8Array };
  b: { intent: Uint8Array; signature: Uint8Array };
} {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`cannot read evidence file ${file}: ${(e as Error).message}`);
  }
  const part = (k: 'a' | 'b') => {
    const p = (raw as Record<string, { intent?: unknown; signature?: unknown }> | null)?.[k];
    const hex = (v: unknown, what: string) => {
      if (typeof v !== 'string' || !/^(0x)?([0-9a-f]{2})+$/i.test(v))
        throw new CliError(`evidence ${k}.${what} in ${file} must be a hex string`);
      return Uint8Array.from(Buffer.from(v.replace(/^0x/, ''), 'hex'));
    };
    return { intent: hex(p?.intent, 'intent'), signature: hex(p?.signature, 'signature') };
  };
  return { a: part('a'), b: part('b') };
}

export function executorCommand(): Command {
  const ex = new Command('executor').description(
    'Admit, register, deregister and slash Nautilus executors (see move/k8s_gateway/README.md)',
  );
  ex.addCommand(
    addGlobalOptions(new Command('admit'))
      .description(
        'Admit an account as an executor of the cluster (signer = cluster admin): sends it an ExecutorCap',
      )
      .argument('<address>', 'the executor account')
      .option('--admin-cap <id>', "AdminCap object ID (default: looked up among the signer's objects)")
      .option('--json', 'print JSON')
      .action(async (address: string, o: { adminCap?: string; json?: boolean }, cmd: Command) => {
        const ctx = CliContext.from(cmd);
        const admin = await ctx.runner();
        const adminCap = await findAdminCap(ctx, admin.address, o.adminCap);
        const account = normalizeAddress(address);
        const out = await admin.run((tx) =>
          admitExecutor(tx, ctx.packageId, { adminCap, cluster: ctx.clusterId, account }),
        );
        if (!out.success) throw new CliError(`admission failed: ${describeFailure(out)}`);
        print(
          o.json,
          { account, txDigest: out.digest },
          () =>
            `admitted ${account} as an executor of ${ctx.clusterId} (transaction ${out.digest}); it registers with "k3s-daas executor register --stake <amount>" or "k3s-daas nautilus --register-stake <amount>"`,
        );
      }),
  );
  ex.addCommand(
    addGlobalOptions(new Command('register'))
      .description(
        'Register the signer (admitted by the cluster admin) with its answer-signing key and stake',
      )
      .requiredOption('--stake <amount>', 'stake (MIST or e.g. 1sui), at least the cluster minimum')
      .option(
        '--signing-key-file <file>',
        'ed25519 answer-signing key (hex, 0600; created when missing)',
        DEFAULT_KEY_FILE,
      )
      .option('--json', 'print JSON')
      .action(async (o: { stake: string; signingKeyFile: string; json?: boolean }, cmd: Command) => {
        const ctx = CliContext.from(cmd);
        const runner = await ctx.runner();
        const signer = AnswerSigner.fromFile(o.signingKeyFile);
        let result;
        try {
          result = await ensureExecutor(
            ctx.client(),
            runner,
            {
              packageId: ctx.packageId,
              clusterId: ctx.clusterId,
              account: runner.address,
              signingKey: signer.publicKey,
            },
            parseSui(o.stake, '--stake'),
          );
        } catch (e) {
          if (e instanceof ExecutorNotAdmitted) throw new CliError(e.message);
          throw e;
        }
        const key = Buffer.from(signer.publicKey).toString('hex');
        print(
          o.json,
          {
            executor: runner.address,
            executorObjectId: result.objectId,
            signingKey: key,
            registeredNow: result.registeredNow,
          },
          () =>
            `${result.registeredNow ? 'registered' : 'already registered:'} executor ${runner.address} (Executor object ${result.objectId}, signing key ${key})`,
        );
      }),
  );
  ex.addCommand(
    addGlobalOptions(new Command('deregister'))
      .description(
        "Start unbonding the signer's executor: no new claims; the stake unlocks after the unbonding period",
      )
      .option('--json', 'print JSON')
      .action(async (o: { json?: boolean }, cmd: Command) => {
        const ctx = CliContext.from(cmd);
        const runner = await ctx.runner();
        const executor = await ownExecutor(ctx, runner.address);
        const out = await runner.run((tx) =>
          deregisterExecutor(tx, ctx.packageId, { cluster: ctx.clusterId, executor }),
        );
        if (!out.success) throw new CliError(`executor deregistration failed: ${describeFailure(out)}`);
        const { object } = await ctx
          .client()
          .getObject({ objectId: ctx.clusterId, include: { content: true } });
        const unbondingMs = Number(ClusterBcs.parse(object.content).config.executor_unbonding_ms);
        print(
          o.json,
          { executor: runner.address, executorObjectId: executor, unbondingMs, txDigest: out.digest },
          () =>
            `executor ${runner.address} is unbonding (transaction ${out.digest}); withdraw its stake after ${Math.ceil(unbondingMs / 1000)} s with "k3s-daas executor withdraw --executor ${executor}"`,
        );
      }),
  );
  ex.addCommand(
    addGlobalOptions(new Command('withdraw'))
      .description('After unbonding: return what is left of the stake and delete the Executor object')
      .requiredOption('--executor <id>', 'the Executor object (printed by deregister)')
      .option('--json', 'print JSON')
      .action(async (o: { executor: string; json?: boolean }, cmd: Command) => {
        const ctx = CliContext.from(cmd);
        const runner = await ctx.runner();
        const executor = normalizeAddress(o.executor);
        const out = await runner.run((tx) => withdrawExecutorStake(tx, ctx.packageId, { executor }));
        if (!out.success) throw new CliError(`withdrawal failed: ${describeFailure(out)}`);
        print(
          o.json,
          { executorObjectId: executor, txDigest: out.digest },
          () => `stake of ${executor} withdrawn (transaction ${out.digest})`,
        );
      }),
  );
  ex.addCommand(
    addGlobalOptions(new Command('slash'))
      .description(
        'Slash an executor: --lapsed <request> (anyone: a claim held past its hold time), --evidence <file> (anyone: two different signed answers to one request), or --amount with --note (cluster admin, at most the slash penalty)',
      )
      .requiredOption('--executor <id>', 'the Executor object')
      .option('--lapsed <request-object-id>', 'the request it held past its hold time')
      .option(
        '--evidence <file>',
        'JSON {"a":{"intent":"<hex>","signature":"<hex>"},"b":{…}}: two answer intents for one request with different bodies, signed by the executor',
      )
      .option('--amount <amount>', 'discretionary slash amount (admin)')
      .option('--note <text>', 'why (recorded in the ExecutorSlashed event)', '')
      .option('--admin-cap <id>', 'AdminCap object ID (discretionary slash)')
      .option('--json', 'print JSON')
      .action(
        async (
          o: {
            executor: string;
            lapsed?: string;
            evidence?: string;
            amount?: string;
            note: string;
            adminCap?: string;
            json?: boolean;
          },
          cmd: Command,
        ) => {
          const ctx = CliContext.from(cmd);
          const runner = await ctx.runner();
          const executor = normalizeAddress(o.executor);
          if ([o.lapsed, o.evidence, o.amount].filter(Boolean).length !== 1)
            throw new CliError(
              'give exactly one of --lapsed <request>, --evidence <file> or --amount <amount>',
            );
          const out = o.evidence
            ? await runner.run((tx) =>
                slashEquivocation(tx, ctx.packageId, {
                  cluster: ctx.clusterId,
                  executor,
                  ...readEvidence(o.evidence!),
                }),
              )
            : o.lapsed
              ? await runner.run((tx) =>
                  slashLapsedClaim(tx, ctx.packageId, {
                    cluster: ctx.clusterId,
                    executor,
                    request: normalizeAddress(o.lapsed!),
                  }),
                )
              : await (async () => {
                  if (!o.note)
                    throw new CliError('a discretionary slash needs --note <why>; it is recorded on chain');
                  const adminCap = await findAdminCap(ctx, runner.address, o.adminCap);
                  return runner.run((tx) =>
                    slashExecutor(tx, ctx.packageId, {
                      adminCap,
                      cluster: ctx.clusterId,
                      executor,
                      amount: parseSui(o.amount!, '--amount'),
                      note: o.note,
                    }),
                  );
                })();
          if (!out.success) throw new CliError(`slash failed: ${describeFailure(out)}`);
          print(
            o.json,
            { executorObjectId: executor, txDigest: out.digest },
            () => `slashed ${executor} (transaction ${out.digest})`,
          );
        },
      ),
  );
  return ex;
}
