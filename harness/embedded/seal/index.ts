/**
 * Embedded Seal key servers for the harness: N independent servers (default 3, threshold 2)
 * registered on the stack's chain, each an HTTP server that the unmodified @mysten/seal
 * SealClient uses as it would Mysten's. See README.md for what is checked and what differs.
 */
import { SuiGrpcClient } from '@mysten/sui/grpc';
import type { Signer } from '@mysten/sui/cryptography';
import { deriveMasterKey, type MasterKey } from './crypto.ts';
import { EmbeddedKeyServer, type Refusal } from './key-server.ts';
import type { SealErrorName } from './errors.ts';
import { keyServerPackage } from './compiled.ts';
import { publishPackage, registerKeyServer, type RegistrationVersion } from './registration.ts';

export { EmbeddedKeyServer, KEY_SERVER_VERSION } from './key-server.ts';
export { SealServerError, SEAL_ERROR_NAMES, type SealErrorName } from './errors.ts';
export type { Refusal } from './key-server.ts';

export interface SealKeyServersOptions {
  /** gRPC URL of the chain (embedded node or a real full node); or pass `client` */
  grpcUrl?: string;
  client?: SuiGrpcClient;
  /** pays for publishing and registering; owns the KeyServer objects */
  signer: Signer;
  count?: number;
  threshold?: number;
  host?: string;
  /** server i listens on basePort + i (default: any free port each) */
  basePort?: number;
  /** master keys are derived from this seed as the real server derives them (index = server number) */
  seed?: Uint8Array;
  /** registration layout the SDK will read (default 2: KeyServerV2 Independent) */
  version?: RegistrationVersion;
  /** an already published move/seal_key_server (skips the publish) */
  packageId?: string;
  namePrefix?: string;
}

/** The part of a server the stack and tests drive. */
export interface SealKeyServerHandle {
  objectId: string;
  url: string;
  name: string;
  publicKey: Uint8Array;
  /** stop listening (connections refused) — a server that is down */
  stop(): Promise<void>;
  /** listen again on the same port */
  start(): Promise<void>;
  /** answer every fetch_key with this error until `refuse(undefined)` */
  refuse(refusal: Refusal | SealErrorName | undefined): void;
  readonly running: boolean;
  readonly server: EmbeddedKeyServer;
}

export interface SealKeyServers {
  servers: SealKeyServerHandle[];
  threshold: number;
  /** the move/seal_key_server package the KeyServer objects belong to */
  packageId: string;
  /** `serverConfigs` for `new SealClient({ serverConfigs, … })` */
  serverConfigs: { objectId: string; weight: number }[];
  server(i: number): SealKeyServerHandle;
  stop(): Promise<void>;
}

/** A fixed, public default seed: harness keys are for local testing only. */
const DEFAULT_SEED = new TextEncoder().encode('k3s-daas embedded seal key servers, local testing only');

function handle(ks: EmbeddedKeyServer, objectId: string): SealKeyServerHandle {
  return {
    objectId,
    url: ks.url,
    name: ks.name,
    publicKey: ks.publicKey,
    stop: () => ks.stop(),
    start: async () => {
      await ks.start();
    },
    refuse: (r) => ks.refuse(r),
    get running() {
      return ks.running;
    },
    server: ks,
  };
}

export async function startSealKeyServers(opts: SealKeyServersOptions): Promise<SealKeyServers> {
  const count = opts.count ?? 3;
  const threshold = opts.threshold ?? 2;
  if (!Number.isInteger(count) || count < 1 || count > 255)
    throw new Error(`count must be 1..255 key servers, got ${count}`);
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > count)
    throw new Error(`threshold must be between 1 and count (${count}), got ${threshold}`);
  const client =
    opts.client ??
    (opts.grpcUrl ? new SuiGrpcClient({ network: 'localnet', baseUrl: opts.grpcUrl }) : undefined);
  if (!client) throw new Error('startSealKeyServers needs the chain: pass grpcUrl or client');
  const seed = opts.seed ?? DEFAULT_SEED;
  const prefix = opts.namePrefix ?? 'embedded-seal';
  const servers: EmbeddedKeyServer[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const master: MasterKey = deriveMasterKey(seed, BigInt(i));
      const ks = new EmbeddedKeyServer({
        name: `${prefix}-${i}`,
        master,
        client,
        host: opts.host,
        port: opts.basePort ? opts.basePort + i : 0,
      });
      await ks.start();
      servers.push(ks);
    }
    const packageId =
      opts.packageId ??
      (await publishPackage(client, opts.signer, await keyServerPackage(), 'move/seal_key_server'));
    const handles: SealKeyServerHandle[] = [];
    // One at a time: they spend the signer's gas coin.
    for (const ks of servers) {
      const objectId = await registerKeyServer(client, opts.signer, packageId, {
        name: ks.name,
        url: ks.url,
        publicKey: ks.publicKey,
        version: opts.version,
      });
      ks.objectId = objectId;
      handles.push(handle(ks, objectId));
    }
    return {
      servers: handles,
      threshold,
      packageId,
      serverConfigs: handles.map((h) => ({ objectId: h.objectId, weight: 1 })),
      server(i) {
        const h = handles[i];
        if (!h) throw new Error(`no key server ${i}: there are ${handles.length} (0..${handles.length - 1})`);
        return h;
      },
      stop: async () => {
        await Promise.all(servers.map((s) => s.stop()));
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
}
