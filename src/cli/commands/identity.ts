/** `identity fund`: gas for an identity's address, which signs (and pays for) its kubectl requests. */
import { Command } from 'commander';
import { IdentityStore } from '../../shared/identities.ts';
import { existsSync } from 'node:fs';
import { Ed25519Keypair } from '@mysten/sui/keypairs/ed25519';
import { Keystore, normalizeAddress } from '../../sui/keystore.ts';
import { DEFAULT_GAS_BUDGET, describeFailure } from '../../sui/tx-runner.ts';
import { CliContext, CliError, addGlobalOptions, parseSui, print } from '../context.ts';

async function balanceOf(ctx: CliContext, owner: string): Promise<bigint> {
  return BigInt((await ctx.client().getBalance({ owner })).balance.balance);
}

export function identityCommand(): Command {
  const identity = new Command('identity').description(
    "Keys and gas of the identities whose keys sign kubectl's requests",
  );
  identity.addCommand(
    addGlobalOptions(new Command('new-key'))
      .description(
        "Create your own key in your gateway's keystore (0600; the cluster admin never sees it) and print its address for the admin's token issue --recipient",
      )
      .option('--json', 'print JSON')
      .action(async (o: { json?: boolean }, cmd: Command) => {
        const ctx = CliContext.from(cmd);
        const path = ctx.gatewayKeystorePath;
        const ks = await Keystore.loadOrEmpty(path);
        if (ks.addresses.length > 0)
          throw new CliError(
            `keystore ${path} already holds the key of ${ks.addresses.join(', ')}: a per-user gateway holds one key; use that address, or pass --keystore <new file>`,
          );
        const address = ks.add(new Ed25519Keypair());
        await ks.save(path);
        const ids = existsSync(ctx.identitiesPath) ? ctx.identitiesPath : '<identities file from the admin>';
        print(o.json, { address, keystore: path }, () =>
          [
            `key of ${address} written to ${path} (mode 0600, its only key)`,
            `ask the cluster admin for a SealToken for it (the admin sends you the identities file and the bearer token it prints):`,
            `  k3s-daas token issue --name <you> --recipient ${address} --identities <file for you> --fund 1sui --rule … `,
            `then run your own gateway: k3s-daas gateway --keystore ${path} --identities ${ids}`,
          ].join('\n'),
        );
      }),
  );
  identity.addCommand(
    addGlobalOptions(new Command('fund'))
      .description(
        "Send SUI from the signer (--signer, or the keystore's first key) to an identity's address, so it can pay gas",
      )
      .option('--name <identity>', 'identity in the identities file (--identities)')
      .option('--address <address>', 'address to fund (instead of --name)')
      .requiredOption('--amount <amount>', 'MIST or e.g. 1sui')
      .option('--json', 'print JSON')
      .action(
        async (o: { name?: string; address?: string; amount: string; json?: boolean }, cmd: Command) => {
          const ctx = CliContext.from(cmd);
          if (!o.name === !o.address) throw new CliError('pass --name <identity> or --address <address>');
          let recipient: string;
          if (o.name) {
            const found = (await IdentityStore.load(ctx.identitiesPath)).byName(o.name);
            if (!found)
              throw new CliError(
                `no identity "${o.name}" in ${ctx.identitiesPath}; pass --identities <file> (the gateway's) or --address`,
              );
            recipient = found.address;
          } else recipient = normalizeAddress(o.address!);
          const amount = parseSui(o.amount, '--amount');
          const funder = await ctx.runner();
          if (funder.address === recipient)
            throw new CliError(
              `the signer ${funder.address} is the address to fund; sign with another key that holds SUI (--signer, --keystore)`,
            );
          const out = await funder.run((tx) => {
            const [coin] = tx.splitCoins(tx.gas, [tx.pure.u64(amount)]);
            tx.transferObjects([coin!], tx.pure.address(recipient));
          });
          if (!out.success) throw new CliError(`funding ${recipient} failed: ${describeFailure(out)}`);
          const balance = await balanceOf(ctx, recipient);
          const enough = balance >= DEFAULT_GAS_BUDGET ? 'enough' : 'not yet enough';
          print(
            o.json,
            {
              name: o.name,
              address: recipient,
              amountMist: amount.toString(),
              balanceMist: balance.toString(),
              txDigest: out.digest,
            },
            () =>
              `sent ${amount} MIST to ${recipient}${o.name ? ` (identity "${o.name}")` : ''} (transaction ${out.digest}); ` +
              `it now holds ${balance} MIST, ${enough} for the ${DEFAULT_GAS_BUDGET} MIST gas budget of a request`,
          );
        },
      ),
  );
  return identity;
}
