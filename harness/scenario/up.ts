/**
 * `k3s-daas-harness up`: boots a stack and keeps it running for hands-on use with kubectl,
 * the `k3s-daas` CLI or a debugger, until Ctrl-C. Prints where everything is and writes the
 * same as JSON (`stack.json` in the work directory) for scripts.
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DISCOVERY_RULE } from '../../src/shared/discovery-fields.ts';
import type { RbacRule } from '../../src/contract/index.ts';
import { registerCleanup, runCleanups } from '../backends/cleanup.ts';
import { makeWorkDir } from '../backends/workdir.ts';
import { DEFAULT_CLUSTER_CONFIG, startStack, type Stack } from '../stack.ts';
import { backendOptions, type BackendFlags } from './backend-flags.ts';
import { missingPrerequisites } from './prerequisites.ts';

export interface UpFlags extends BackendFlags {
  dir?: string;
}

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
    identities: IDENTITIES.map(({ name, rules, stakeMist }) => ({
      name,
      rules: [...rules, { ...DISCOVERY_RULE, resourceNames: [] }],
      stakeMist,
    })),
    onPhase: (p) => process.stdout.write(`  ✓ ${p.name}: ${p.detail} (${p.ms.toFixed(0)} ms)\n`),
  });

  const description = describe(stack);
  await writeFile(join(workDir, 'stack.json'), JSON.stringify(description, null, 2) + '\n');
  process.stdout.write(banner(stack, description));

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
  const died = await new Promise<string>((done) => {
    watch = setInterval(() => {
      for (const c of [stack.gateway, stack.listener])
        if (!c.running()) {
          clearInterval(watch);
          done(`${c.name} exited on its own; its last log lines:\n${c.logs().slice(-2_000)}`);
        }
    }, 1_000);
  });
  process.stderr.write(`\n${died}\n`);
  await runCleanups();
  return 1;
}

function describe(stack: Stack) {
  return {
    workDir: stack.workDir,
    gateway: stack.gateway.url,
    listenerHealth: stack.listener.healthUrl,
    chain: { kind: stack.chain.kind, grpcUrl: stack.chain.url, faucetUrl: stack.chain.faucetUrl },
    cluster: { kind: stack.cluster.kind, url: stack.cluster.url, kubeconfig: stack.cluster.kubeconfigPath },
    packageId: stack.deployment.packageId,
    clusterId: stack.deployment.clusterId,
    keystore: join(stack.workDir, 'sui.keystore'),
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
    `  chain      ${d.chain.grpcUrl}   (${d.chain.kind}, Sui gRPC-web)`,
    `  package    ${d.packageId}`,
    `  cluster    ${d.clusterId}   (Cluster object)`,
    `  listener   ${d.listenerHealth}`,
    `  k8s        ${d.cluster.url}   (${d.cluster.kind}; ${d.cluster.kubeconfig} reaches it directly, not through the chain)`,
    '',
    '  kubeconfigs (each goes through the contract with its own SealToken):',
    ...IDENTITIES.map((i) => `    ${i.name.padEnd(7)} ${kc(i.name)}   ${i.summary}`),
    '',
    '  try:',
    `    kubectl --kubeconfig ${kc('admin')} create deployment web --image=nginx`,
    `    kubectl --kubeconfig ${kc('viewer')} get deployments -w        # a watch, window by window through the chain`,
    `    kubectl --kubeconfig ${kc('viewer')} delete deployment web      # refused by the contract: 403`,
    `    npx k3s-daas audit --grpc-url ${d.chain.grpcUrl} --package ${d.packageId} --cluster ${d.clusterId} \\`,
    `      --keystore ${d.keystore} --identities ${d.identitiesFile}`,
    '',
    `  all of the above as JSON: ${join(stack.workDir, 'stack.json')}`,
    '',
  ];
  return lines.join('\n') + '\n';
}
