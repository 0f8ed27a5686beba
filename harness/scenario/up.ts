/**
 * `k3s-daas-harness up`: boots a stack and keeps it running for hands-on use with kubectl,
 * the `k3s-daas` CLI or a debugger, until Ctrl-C. Prints where everything is and writes the
 * same as JSON (`stack.json` in the work directory) for scripts.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keypair } from '@mysten/sui/cryptography';
import { Keystore } from '../../src/sui/keystore.ts';
import { DISCOVERY_RULE } from '../../src/k8s/discovery-fields.ts';
import type { RbacRule } from '../../src/contract/index.ts';
import { registerCleanup, runCleanups } from '../backends/cleanup.ts';
import { makeWorkDir } from '../backends/workdir.ts';
import { DEFAULT_CLUSTER_CONFIG, startStack, type Stack } from '../stack.ts';
import { backendOptions, type BackendFlags } from './backend-flags.ts';
import { missingPrerequisites } from './prerequisites.ts';

export interface UpFlags extends BackendFlags {
  dir?: string;
}

const CLI_BIN = fileURLToPath(new URL('../../bin/k3s-daas.js', import.meta.url));
/** How often `up` checks that its parent (npm, a shell) is still there. */
const PARENT_CHECK_MS = 500;

/** The identities `up` issues: one that may do anything, one that may only read. */
const IDENTITIES = [
  {
    name: 'admin',
    summary: 'every verb on every resource, staked',
    rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], resourceNames: [] }],
    stakeMist: DEFAULT_CLUSTER_CONFIG.minWriteStake,
  },
  {
    name: 'viewer',
    summary: 'get/list/watch only, no stake',
    rules: [
      {
        verbs: ['get', 'list', 'watch'],
        apiGroups: ['*'],
        resources: ['*'],
        namespaces: ['*'],
        resourceNames: [],
      },
    ],
    stakeMist: 0n,
  },
] satisfies { name: string; summary: string; rules: RbacRule[]; stakeMist: bigint }[];

/**
 * Boots, prints, and runs until Ctrl-C / SIGTERM (the process exits 130 / 143 once the stack is
 * stopped) or until a component dies (returns 1).
 */
export async function upCommand(flags: UpFlags): Promise<number> {
  if (flags.chain === 'embedded' || flags.cluster === 'embedded') {
    const missing = await missingPrerequisites(flags.chain, flags.cluster);
    if (missing.length) {
      process.stderr.write(`cannot start: ${missing.join('; ')}\n`);
      return 2;
    }
  }
  const workDir = resolve(flags.dir ?? (await makeWorkDir('up')));
  const { chain, cluster } = backendOptions(flags);
  process.stdout.write(`Booting K3s-DaaS (chain ${flags.chain}, cluster ${flags.cluster}) in ${workDir}\n`);
  const stack = await startStack({
    chain,
    cluster,
    workDir,
    inProcess: flags.inProcess,
    confidentiality: flags.confidentiality,
    identities: IDENTITIES.map(({ name, rules, stakeMist }) => ({
      name,
      rules: [...rules, { ...DISCOVERY_RULE, resourceNames: [] }],
      stakeMist,
    })),
    onPhase: (p) => process.stdout.write(`  ✓ ${p.name}: ${p.detail} (${p.ms.toFixed(0)} ms)\n`),
  });

  // The admin's key (it holds the Cluster's AdminCap) in a keystore of its own, so that tokens for
  // this stack can be issued and revoked with the product CLI; the gateway never reads this file.
  const adminKeystore = join(workDir, 'admin', 'sui.keystore');
  if (stack.admin instanceof Keypair) {
    const ks = Keystore.fromEntries([]);
    ks.add(stack.admin);
    await ks.save(adminKeystore);
  }
  const description = describe(stack, stack.admin instanceof Keypair ? adminKeystore : undefined);
  await writeFile(join(workDir, 'stack.json'), JSON.stringify(description, null, 2) + '\n');
  process.stdout.write(banner(stack, description));
  if (flags.inProcess)
    process.stdout.write(
      '  note: with --in-process the gateway does not re-read identities.json and gateway/sui.keystore, so it does not serve tokens issued with the commands above (run `up` without --in-process for that).\n\n',
    );

  // Ctrl-C / SIGTERM go through the process-wide cleanup registry (exit 130 / 143 after every
  // cleanup ran); this one stops the stack first and says so.
  // A gateway or listener that exits on its own leaves kubectl hanging: say so and stop. (Not
  // while stopping on purpose: then they exit because they were told to.)
  let watch: NodeJS.Timeout | undefined;
  registerCleanup('k3s-daas-harness up', async () => {
    clearInterval(watch);
    process.stdout.write('\nStopping…\n');
    await stack.stop();
    process.stdout.write('Stopped.\n');
  });
  // Also stop when the process that started this one goes away: `npm run` passes SIGTERM only to
  // its child, and a shell between npm and this process (or a SIGKILLed npm) would otherwise leave
  // this process, the gateway and the listener running as orphans.
  const parent = process.ppid;
  const stop = await new Promise<{ why: string; code: number }>((done) => {
    let checks = 0;
    watch = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(watch);
        done({ why: `the process that started this one (pid ${parent}) exited`, code: 143 });
      }
      if (++checks % (1_000 / PARENT_CHECK_MS) !== 0) return;
      for (const c of [stack.gateway, stack.listener])
        if (!c.running()) {
          clearInterval(watch);
          done({
            why: `${c.name} exited on its own; its last log lines:\n${c.logs().slice(-2_000)}`,
            code: 1,
          });
        }
    }, PARENT_CHECK_MS);
  });
  process.stderr.write(`\n${stop.why}\n`);
  await runCleanups();
  return stop.code;
}

function describe(stack: Stack, adminKeystore: string | undefined) {
  return {
    cli: CLI_BIN,
    admin: {
      address: stack.admin.toSuiAddress(),
      adminCapId: stack.deployment.adminCapId,
      keystore: adminKeystore ?? null,
    },
    tlsCa: join(stack.workDir, 'tls', 'ca.crt'),
    minWriteStakeMist: stack.config.minWriteStake.toString(),
    workDir: stack.workDir,
    gateway: stack.gateway.url,
    listenerHealth: stack.listener.healthUrl,
    chain: { kind: stack.chain.kind, grpcUrl: stack.chain.url, faucetUrl: stack.chain.faucetUrl },
    cluster: { kind: stack.cluster.kind, url: stack.cluster.url, kubeconfig: stack.cluster.kubeconfigPath },
    packageId: stack.deployment.packageId,
    clusterId: stack.deployment.clusterId,
    keystore: stack.keystores.gateway,
    listenerKeystore: stack.keystores.listener,
    identitiesFile: join(stack.workDir, 'identities.json'),
    identities: Object.fromEntries(
      [...stack.identities.values()].map((i) => [
        i.name,
        { kubeconfig: i.kubeconfigPath, address: i.address, sealToken: i.sealTokenId },
      ]),
    ),
  };
}

function banner(stack: Stack, d: ReturnType<typeof describe>): string {
  const kc = (name: string) => stack.identity(name).kubeconfigPath;
  const lines = [
    '',
    'K3s-DaaS is up. Ctrl-C stops it (the work directory stays).',
    '',
    `  gateway    ${d.gateway}   (HTTPS, throw-away CA in the kubeconfigs)`,
    `             a SHARED test gateway (k3s-daas gateway --shared): custodial, it holds every identity's key in ${d.keystore};`,
    '             the default deployment is one gateway per user holding only that key (see harness/README.md)',
    `  chain      ${d.chain.grpcUrl}   (${d.chain.kind}, Sui gRPC-web)`,
    `  package    ${d.packageId}`,
    `  cluster    ${d.clusterId}   (Cluster object)`,
    `  listener   ${d.listenerHealth}   (its keystore ${d.listenerKeystore} holds the executor's key only)`,
    `  k8s        ${d.cluster.url}   (${d.cluster.kind}; ${d.cluster.kubeconfig} reaches it directly, not through the chain)`,
    '',
    '  kubeconfigs (each goes through the contract with its own SealToken):',
    ...IDENTITIES.map((i) => `    ${i.name.padEnd(7)} ${kc(i.name)}   ${i.summary}`),
    '',
    '  try:',
    `    kubectl --kubeconfig ${kc('admin')} create deployment web --image=nginx`,
    `    kubectl --kubeconfig ${kc('viewer')} get deployments -w        # a watch, window by window through the chain`,
    `    kubectl --kubeconfig ${kc('viewer')} delete deployment web      # refused by the contract: 403`,
    `    npx k3s-daas audit --grpc-url ${d.chain.grpcUrl} --package ${d.packageId} --cluster ${d.clusterId}   # answers and refusals (the 403 above: EPermissionDenied)`,
    '',
    ...adminLines(d),
    '',
    `  all of the above as JSON: ${join(stack.workDir, 'stack.json')}`,
    '',
  ];
  return lines.join('\n') + '\n';
}

/** A word for a POSIX shell: quoted only when it needs to be. */
function sh(word: string): string {
  return /^[A-Za-z0-9_/.:=,@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** How to administer the stack with the product CLI: who holds the AdminCap, where its key is, what to run. */
function adminLines(d: ReturnType<typeof describe>): string[] {
  const head = `    node ${sh(d.cli)}`;
  const chainFlags = `--grpc-url ${sh(d.chain.grpcUrl)} --package ${d.packageId} --cluster ${d.clusterId}`;
  if (!d.admin.keystore)
    return [
      `  administer: the AdminCap ${d.admin.adminCapId} is held by ${d.admin.address}, whose key this chain backend does not let the harness export`,
    ];
  const files = `--keystore ${sh(d.admin.keystore)} --identities ${sh(d.identitiesFile)}`;
  return [
    `  administer (issue, revoke, pause) with the product CLI: the cluster's AdminCap ${d.admin.adminCapId}`,
    `  is held by ${d.admin.address}; its key is alone in ${d.admin.keystore} (mode 0600, never read by the gateway).`,
    "  issue a SealToken (fresh key added to the gateway's keystore, funded, staked for writes); the gateway picks it up within a second:",
    `${head} token issue ${chainFlags} \\`,
    `      ${files} \\`,
    `      --name alice --new-key --recipient-keystore ${sh(d.keystore)} --fund 1sui --stake ${d.minWriteStakeMist} \\`,
    `      --rule 'verbs=*;groups=*;resources=*;namespaces=default'`,
    '  then a kubeconfig with the bearer token it printed:',
    `${head} kubeconfig --name alice --server ${d.gateway} --ca ${sh(d.tlsCa)} --token <bearer token> -o alice.kubeconfig`,
    '  revoke it (its kubectl commands are then refused with 401):',
    `${head} token revoke --name alice ${chainFlags} ${files}`,
  ];
}
