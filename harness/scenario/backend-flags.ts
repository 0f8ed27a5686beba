/** The backend flags shared by `run`, `up` and the five-step test, and what they mean for the stack. */
import { Option, type Command } from 'commander';
import {
  CHAIN_KINDS,
  CLUSTER_KINDS,
  RPC_PROFILES,
  type RpcProfile,
  type ChainKind,
  type ChainOptions,
  type ClusterKind,
  type ClusterOptions,
} from '../backends/types.ts';

export interface BackendFlags {
  chain: ChainKind;
  cluster: ClusterKind;
  chainUrl?: string;
  faucetUrl?: string;
  fundedKey?: string;
  suiBinary?: string;
  suiImage?: string;
  kubeconfig?: string;
  context?: string;
  kindName?: string;
  reuse?: boolean;
  inProcess?: boolean;
  rpcProfile?: RpcProfile;
  /** `seal` (default): embedded key servers and a Seal cluster; `none`: the explicit opt-out. */
  confidentiality?: 'seal' | 'none';
}

/** Adds the backend flags shared by `run` and the five-step test. */
export function addBackendOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--chain <kind>', 'chain backend').choices([...CHAIN_KINDS]).default('embedded'))
    .addOption(
      new Option('--cluster <kind>', 'cluster backend').choices([...CLUSTER_KINDS]).default('embedded'),
    )
    .option('--chain-url <url>', 'remote: Sui gRPC URL (env SUI_GRPC_URL)')
    .option('--faucet-url <url>', 'remote: faucet URL (env SUI_FAUCET_URL)')
    .option('--funded-key <suiprivkey>', 'remote: funded key instead of a faucet (env SUI_FUNDED_KEY)')
    .option('--sui-binary <path>', 'localnet: sui binary', 'sui')
    .option('--sui-image <image>', 'docker: Sui tools image')
    .option(
      '--kubeconfig <path>',
      'kubeconfig backend: kubeconfig file (default $KUBECONFIG or ~/.kube/config)',
    )
    .option('--context <name>', 'kubeconfig backend: context to use')
    .addOption(
      new Option(
        '--rpc-profile <release>',
        'embedded: serve the gRPC methods of this Sui release (1.71: no event RPCs, the product reads checkpoints)',
      )
        .choices([...RPC_PROFILES])
        .default('current'),
    )
    .option('--kind-name <name>', 'kind: cluster name', 'k3s-daas')
    .option('--reuse', 'kind: reuse an existing cluster of that name and keep it afterwards')
    .option(
      '--in-process',
      'run the gateway and listener inside the harness process (default: separate k3s-daas processes)',
    )
    .addOption(
      new Option(
        '--confidentiality <mode>',
        'seal: embedded Seal key servers (3, threshold 2) and a Seal cluster; none: payloads and answers in clear (explicit opt-out)',
      )
        .choices(['seal', 'none'])
        .default('seal'),
    );
}

export function backendOptions(f: BackendFlags): { chain: ChainOptions; cluster: ClusterOptions } {
  if (f.rpcProfile && f.rpcProfile !== 'current' && f.chain !== 'embedded')
    throw new Error(
      `--rpc-profile ${f.rpcProfile} applies to the embedded chain only (a ${f.chain} node serves what its own release serves); drop it or use --chain embedded`,
    );
  return {
    chain: {
      kind: f.chain,
      url: f.chainUrl,
      faucetUrl: f.faucetUrl,
      fundedKey: f.fundedKey,
      suiBinary: f.suiBinary,
      image: f.suiImage,
      ...(f.chain === 'embedded' && f.rpcProfile ? { rpcProfile: f.rpcProfile } : {}),
    },
    cluster: {
      kind: f.cluster,
      kubeconfigPath: f.kubeconfig,
      context: f.context,
      name: f.kindName,
      reuse: f.reuse,
    },
  };
}
