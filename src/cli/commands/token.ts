/** `token issue|stake|unstake|revoke|show`: SealTokens and the gateway identities that use them. */
import { Command } from 'commander';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import {
  SealTokenBcs,
  SealTokenIssuedBcs,
  SealTokenRevokedBcs,
  contractType,
  issueSealToken,
  revokeSealToken,
  stakeSealToken,
  unstakeSealToken,
  withdrawUnstaked,
  type RbacRule,
} from '../../contract/index.ts';
import { IdentityStore, newBearerToken, type Identity } from '../../shared/identities.ts';
import { Keystore, normalizeAddress } from '../../sui/keystore.ts';
import { TxRunner, describeFailure } from '../../sui/tx-runner.ts';
import { listEventsAfter, structName } from '../../sui/events.ts';
import { DISCOVERY_RULE } from '../../k8s/discovery-fields.ts';
import { resolve } from 'node:path';
import {
  CliContext,
  CliError,
  addGlobalOptions,
  defaultGatewayKeystorePath,
  parseDuration,
  parseSui,
  print,
} from '../context.ts';
import { formatRule, parseRules } from '../rules.ts';
import { findAdminCap } from '../admin-cap.ts';

async function identityOrThrow(
  ctx: CliContext,
  name: string,
): Promise<{ store: IdentityStore; identity: Identity }> {
  const store = await IdentityStore.load(ctx.identitiesPath);
  const identity = store.byName(name);
  if (!identity)
    throw new CliError(
      `no identity "${name}" in ${ctx.identitiesPath}; issue one with "k3s-daas token issue --name ${name}"`,
    );
  return { store, identity };
}

/** SealToken named by `--token-id`, or the one recorded for identity `--name`. */
async function tokenIdFrom(ctx: CliContext, o: { name?: string; tokenId?: string }): Promise<string> {
  if (o.tokenId) return normalizeAddress(o.tokenId);
  if (o.name) return (await identityOrThrow(ctx, o.name)).identity.sealTokenId;
  throw new CliError('pass --name <identity> or --token-id <id>');
}

export function tokenCommand(): Command {
  const token = new Command('token').description('Issue, stake, unstake, revoke and inspect SealTokens');

  token.addCommand(
    addGlobalOptions(new Command('issue'))
      .description(
        'Issue a SealToken (signer = cluster admin) and a bearer token for the gateway; prints the bearer token once',
      )
      .requiredOption('--name <identity>', 'identity name (kubeconfig user, label of the token)')
      .option('--recipient <address>', 'owner of the SealToken (its key must be in the gateway keystore)')
      .option('--new-key', 'create a fresh Ed25519 key for the recipient and add it to the keystore')
      .option(
        '--recipient-keystore <file>',
        "with --new-key: the keystore that receives the new key and signs --stake: the user's gateway keystore [default K3S_DAAS_GATEWAY_KEYSTORE or ~/.k3s-daas/gateway/sui.keystore, mode 0600], never the signer's; one file per user keeps their gateway non-custodial",
      )
      .option(
        '--rule <rule...>',
        'RBAC rule(s): "verbs=get,list;groups=;resources=pods;namespaces=default" or JSON',
        [],
      )
      .option('--no-discovery', 'do not add the discovery rule kubectl needs')
      .option('--expires-in <duration>', 'expiry (e.g. 24h); default never')
      .option('--fund <amount>', 'send this much SUI from the signer to the recipient (gas + stake)')
      .option('--stake <amount>', 'stake this much on the new token (signed by the recipient)')
      .option('--admin-cap <id>', "AdminCap object ID (default: looked up among the signer's objects)")
      .option('--json', 'print JSON')
      .action(
        async (
          o: {
            name: string;
            recipient?: string;
            newKey?: boolean;
            recipientKeystore?: string;
            rule: string[];
            discovery: boolean;
            expiresIn?: string;
            fund?: string;
            stake?: string;
            adminCap?: string;
            json?: boolean;
          },
          cmd: Command,
        ) => {
          const ctx = CliContext.from(cmd);
          if (!o.recipient && !o.newKey) throw new CliError('pass --recipient <address> or --new-key');
          const rules: RbacRule[] = parseRules(o.rule);
          if (o.discovery) rules.push(DISCOVERY_RULE);
          if (rules.length === 0) throw new CliError('pass at least one --rule');
          const admin = await ctx.runner();
          let recipient = o.recipient ? normalizeAddress(o.recipient) : '';
          if (o.recipientKeystore && !o.newKey)
            throw new CliError(
              '--recipient-keystore goes with --new-key (it says where the new key is kept)',
            );
          // A new user key goes to the user's gateway keystore, never into the admin's.
          const recipientKeystore = o.recipientKeystore ?? defaultGatewayKeystorePath();
          if (o.newKey && resolve(recipientKeystore) === resolve(ctx.keystorePath))
            throw new CliError(
              `--recipient-keystore ${recipientKeystore} is the signer's keystore: a user's key is kept apart from the admin's, in the keystore of that user's gateway`,
            );
          let keysInRecipientKeystore = 0;
          if (o.newKey) {
            const ks = await Keystore.loadOrEmpty(recipientKeystore);
            recipient = ks.add(new Ed25519Keypair());
            await ks.save(recipientKeystore);
            keysInRecipientKeystore = ks.addresses.length;
          }
          const adminCap = await findAdminCap(ctx, admin.address, o.adminCap);
          const expiresAtMs = o.expiresIn ? Date.now() + parseDuration(o.expiresIn, '--expires-in') : 0;
          const out = await admin.run((tx) => {
            issueSealToken(tx, ctx.packageId, {
              adminCap,
              cluster: ctx.clusterId,
              recipient,
              label: o.name,
              rules,
              expiresAtMs,
            });
            if (o.fund) {
              const [coin] = tx.splitCoins(tx.gas, [tx.pure.u64(parseSui(o.fund, '--fund'))]);
              tx.transferObjects([coin!], tx.pure.address(recipient));
            }
          });
          if (!out.success) throw new CliError(`issuing the token failed: ${describeFailure(out)}`);
          const ev = out.events.find((e) => structName(e.eventType) === 'SealTokenIssued');
          if (!ev) throw new CliError(`transaction ${out.digest} emitted no SealTokenIssued event`);
          const tokenId = SealTokenIssuedBcs.parse(ev.bcs).token_id;
          let stakeDigest: string | undefined;
          if (o.stake) {
            const owner = o.newKey
              ? new TxRunner(ctx.client(), (await Keystore.load(recipientKeystore)).require(recipient))
              : await ctx.runner(recipient);
            const s = await owner.run((tx) =>
              stakeSealToken(tx, ctx.packageId, { token: tokenId, coin: parseSui(o.stake!, '--stake') }),
            );
            if (!s.success)
              throw new CliError(`token ${tokenId} issued, but staking failed: ${describeFailure(s)}`);
            stakeDigest = s.digest;
          }
          const bearer = newBearerToken();
          const store = await IdentityStore.load(ctx.identitiesPath);
          store.upsert({
            name: o.name,
            token: bearer,
            address: recipient,
            sealTokenId: tokenId,
            clusterId: ctx.clusterId,
          });
          await store.save(ctx.identitiesPath);
          print(
            o.json,
            {
              name: o.name,
              address: recipient,
              sealTokenId: tokenId,
              bearerToken: bearer,
              txDigest: out.digest,
              stakeTxDigest: stakeDigest,
              ...(o.newKey ? { keystore: recipientKeystore } : {}),
            },
            () =>
              [
                `SealToken ${tokenId} issued to ${recipient} (transaction ${out.digest})`,
                ...rules.map((r) => `  rule: ${formatRule(r)}`),
                stakeDigest ? `  staked ${o.stake} (transaction ${stakeDigest})` : '',
                `identity "${o.name}" saved to ${ctx.identitiesPath} (only the token hash is stored)`,
                o.newKey
                  ? keysInRecipientKeystore === 1
                    ? `key of ${recipient} written to ${recipientKeystore} (mode 0600, its only key): run the user's own gateway with "k3s-daas gateway --keystore ${recipientKeystore} --identities ${ctx.identitiesPath}"`
                    : `key of ${recipient} added to ${recipientKeystore}, which now holds ${keysInRecipientKeystore} users' keys: only a shared, custodial gateway (k3s-daas gateway --shared) serves it; pass --recipient-keystore <file> per user for a gateway per user`
                  : '',
                `bearer token (shown once): ${bearer}`,
              ]
                .filter(Boolean)
                .join('\n'),
          );
        },
      ),
  );

  for (const kind of ['stake', 'unstake'] as const) {
    token.addCommand(
      addGlobalOptions(new Command(kind))
        .description(
          kind === 'stake'
            ? "Add SUI stake to an identity's SealToken (signed by its owner)"
            : "Start unstaking from an identity's SealToken: the amount stops counting for writes now and is withdrawable after the cluster's stake cooldown",
        )
        .requiredOption('--name <identity>', 'identity name')
        .requiredOption('--amount <amount>', 'MIST or e.g. 1sui')
        .option('--json', 'print JSON')
        .action(async (o: { name: string; amount: string; json?: boolean }, cmd: Command) => {
          const ctx = CliContext.from(cmd);
          const { identity } = await identityOrThrow(ctx, o.name);
          const owner = await ctx.runner(identity.address);
          const amount = parseSui(o.amount, '--amount');
          const out = await owner.run((tx) =>
            kind === 'stake'
              ? stakeSealToken(tx, ctx.packageId, { token: identity.sealTokenId, coin: amount })
              : unstakeSealToken(tx, ctx.packageId, {
                  cluster: ctx.clusterId,
                  token: identity.sealTokenId,
                  amount,
                }),
          );
          if (!out.success) throw new CliError(`${kind} failed: ${describeFailure(out)}`);
          print(
            o.json,
            {
              name: o.name,
              sealTokenId: identity.sealTokenId,
              amount: amount.toString(),
              txDigest: out.digest,
            },
            () =>
              kind === 'stake'
                ? `staked ${amount} MIST on ${identity.sealTokenId} (transaction ${out.digest})`
                : `unstaking ${amount} MIST of ${identity.sealTokenId}: it no longer counts for writes and can be withdrawn after the cluster's stake cooldown with "k3s-daas token withdraw --name ${o.name}" (transaction ${out.digest})`,
          );
        }),
    );
  }

  token.addCommand(
    addGlobalOptions(new Command('withdraw'))
      .description("Send an identity's unstaked SUI back to it once the stake cooldown is over")
      .requiredOption('--name <identity>', 'identity name')
      .option('--json', 'print JSON')
      .action(async (o: { name: string; json?: boolean }, cmd: Command) => {
        const ctx = CliContext.from(cmd);
        const { identity } = await identityOrThrow(ctx, o.name);
        const owner = await ctx.runner(identity.address);
        const out = await owner.run((tx) =>
          withdrawUnstaked(tx, ctx.packageId, { token: identity.sealTokenId }),
        );
        if (!out.success) throw new CliError(`withdrawal failed: ${describeFailure(out)}`);
        print(
          o.json,
          { name: o.name, sealTokenId: identity.sealTokenId, txDigest: out.digest },
          () =>
            `withdrew the unstaked SUI of ${identity.sealTokenId} to ${identity.address} (transaction ${out.digest})`,
        );
      }),
  );

  token.addCommand(
    addGlobalOptions(new Command('revoke'))
      .description('Revoke a SealToken (signer = cluster admin); its requests then fail with 401')
      .option('--name <identity>', 'identity whose token to revoke')
      .option('--token-id <id>', 'SealToken object ID')
      .option('--admin-cap <id>', 'AdminCap object ID')
      .option('--json', 'print JSON')
      .action(
        async (o: { name?: string; tokenId?: string; adminCap?: string; json?: boolean }, cmd: Command) => {
          const ctx = CliContext.from(cmd);
          const tokenId = await tokenIdFrom(ctx, o);
          const admin = await ctx.runner();
          const adminCap = await findAdminCap(ctx, admin.address, o.adminCap);
          const out = await admin.run((tx) =>
            revokeSealToken(tx, ctx.packageId, { adminCap, cluster: ctx.clusterId, tokenId }),
          );
          if (!out.success) throw new CliError(`revocation failed: ${describeFailure(out)}`);
          print(
            o.json,
            { sealTokenId: tokenId, txDigest: out.digest },
            () => `SealToken ${tokenId} revoked (transaction ${out.digest})`,
          );
        },
      ),
  );

  token.addCommand(
    addGlobalOptions(new Command('show'))
      .description('Show a SealToken: owner, rules, stake, expiry, revocation')
      .option('--name <identity>', 'identity name')
      .option('--token-id <id>', 'SealToken object ID')
      .option('--json', 'print JSON')
      .action(async (o: { name?: string; tokenId?: string; json?: boolean }, cmd: Command) => {
        const ctx = CliContext.from(cmd);
        const tokenId = await tokenIdFrom(ctx, o);
        const { object } = await ctx.client().getObject({ objectId: tokenId, include: { content: true } });
        const t = SealTokenBcs.parse(object.content);
        let revoked = false;
        for await (const f of listEventsAfter(
          ctx.client(),
          contractType(ctx.packageId, 'SealTokenRevoked'),
          undefined,
        )) {
          if (f.event && SealTokenRevokedBcs.parse(f.event.bcs).token_id === tokenId) revoked = true;
        }
        const expires = Number(t.expires_at_ms);
        const view = {
          sealTokenId: tokenId,
          label: t.label,
          owner: t.owner,
          clusterId: t.cluster_id,
          stakeMist: t.stake.value,
          issuedAt: new Date(Number(t.issued_at_ms)).toISOString(),
          expiresAt: expires === 0 ? 'never' : new Date(expires).toISOString(),
          expired: expires !== 0 && expires <= Date.now(),
          revoked,
          rules: t.rules.map((r) => ({
            verbs: r.verbs,
            apiGroups: r.api_groups,
            resources: r.resources,
            namespaces: r.namespaces,
            resourceNames: r.resource_names,
          })),
        };
        print(o.json, view, () =>
          [
            `SealToken ${tokenId} "${view.label}"`,
            `  owner:   ${view.owner}`,
            `  cluster: ${view.clusterId}`,
            `  stake:   ${view.stakeMist} MIST`,
            `  expires: ${view.expiresAt}${view.expired ? ' (EXPIRED)' : ''}`,
            `  revoked: ${view.revoked ? 'yes' : 'no'}`,
            ...view.rules.map((r) => `  rule:    ${formatRule(r)}`),
          ].join('\n'),
        );
      }),
  );
  return token;
}
