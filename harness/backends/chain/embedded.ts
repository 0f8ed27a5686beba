import { loadEntryPoint } from '../load-module.ts';
import type { ChainHandle } from '../types.ts';

/** The shape this harness relies on from harness/embedded/sui (its public entry point). */
export interface EmbeddedSuiInstance {
  url: string;
  faucetUrl?: string;
  accounts?: ReadonlyArray<unknown>;
  stop(): Promise<void>;
  snapshot?(): Promise<string> | string;
  revert?(id: string): Promise<void> | void;
}
export type StartEmbeddedSui = (opts?: Record<string, unknown>) => Promise<EmbeddedSuiInstance>;

export const EMBEDDED_SUI_PIECE = 'embedded Sui node (harness/embedded/sui)';

export function loadEmbeddedSui(): Promise<StartEmbeddedSui> {
  return loadEntryPoint<StartEmbeddedSui>(
    EMBEDDED_SUI_PIECE,
    import.meta.url,
    '../../embedded/sui/index.ts',
    'startEmbeddedSui',
  );
}

/** Pulls `suiprivkey…` strings out of whatever account records the embedded node hands back. */
export function secretKeysOf(accounts: ReadonlyArray<unknown> | undefined): string[] {
  const keys: string[] = [];
  for (const a of accounts ?? []) {
    if (typeof a === 'string' && a.startsWith('suiprivkey')) keys.push(a);
    else if (a && typeof a === 'object') {
      const rec = a as Record<string, unknown>;
      for (const field of ['secretKey', 'privateKey', 'key']) {
        const v = rec[field];
        if (typeof v === 'string' && v.startsWith('suiprivkey')) keys.push(v);
      }
      const kp = rec.keypair as { getSecretKey?: () => string } | undefined;
      if (kp && typeof kp.getSecretKey === 'function') keys.push(kp.getSecretKey());
    }
  }
  return [...new Set(keys)];
}

export async function startEmbeddedChain(opts: Record<string, unknown> = {}): Promise<ChainHandle> {
  const start = await loadEmbeddedSui();
  const node = await start(opts);
  return {
    kind: 'embedded',
    url: node.url,
    faucetUrl: node.faucetUrl,
    fundedKeys: secretKeysOf(node.accounts),
    snapshot: node.snapshot ? async () => String(await node.snapshot!()) : undefined,
    revert: node.revert ? async (id: string) => void (await node.revert!(id)) : undefined,
    logs: () => '',
    stop: () => node.stop(),
  };
}
