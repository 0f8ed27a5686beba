/**
 * The SealTokens of one cluster, read from the chain for the RBAC mirror: every
 * `SealTokenIssued` of the cluster minus every `SealTokenRevoked`, minus tokens whose object is
 * gone (destroyed) or that have expired. Events are read incrementally (a cursor per type, kept
 * in memory: a restarted listener reads the history once); a token's owner and rules never
 * change after issue, so each object is read once and then only checked for existence every
 * 10th call (destroying a token emits no event; a destroyed token cannot make requests, so its
 * RBAC lingering a few periods longer matters only to a compromised executor).
 */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { SealTokenBcs, SealTokenIssuedBcs, SealTokenRevokedBcs, contractType } from '../contract/index.ts';
import type { RbacRule } from '../contract/index.ts';
import { listEventsAfter } from '../sui/events.ts';
import { unexpired, type MirroredToken } from './rbac-mirror.ts';

export interface TokenSource {
  /** The cluster's live tokens now (issued, not revoked, not destroyed, not expired). */
  liveTokens(): Promise<MirroredToken[]>;
}

export class SuiTokenSource implements TokenSource {
  private issuedCursor: Uint8Array | undefined;
  private revokedCursor: Uint8Array | undefined;
  private readonly issued = new Set<string>();
  private readonly revoked = new Set<string>();
  private readonly known = new Map<string, MirroredToken>();
  private calls = 0;

  constructor(
    private readonly client: SuiGrpcClient,
    private readonly ids: { packageId: string; clusterId: string },
    private readonly now: () => number = Date.now,
  ) {}

  async liveTokens(): Promise<MirroredToken[]> {
    // Revocations first: a token issued and revoked between the two reads is then never live.
    for await (const f of listEventsAfter(
      this.client,
      contractType(this.ids.packageId, 'SealTokenRevoked'),
      this.revokedCursor,
    )) {
      if (f.cursor) this.revokedCursor = f.cursor;
      if (!f.event) continue;
      const e = SealTokenRevokedBcs.parse(f.event.bcs);
      if (e.cluster_id === this.ids.clusterId) this.revoked.add(e.token_id);
    }
    for await (const f of listEventsAfter(
      this.client,
      contractType(this.ids.packageId, 'SealTokenIssued'),
      this.issuedCursor,
    )) {
      if (f.cursor) this.issuedCursor = f.cursor;
      if (!f.event) continue;
      const e = SealTokenIssuedBcs.parse(f.event.bcs);
      if (e.cluster_id === this.ids.clusterId) this.issued.add(e.token_id);
    }
    const live: MirroredToken[] = [];
    const recheck = this.calls++ % 10 === 0;
    for (const id of this.issued) {
      if (this.revoked.has(id)) continue;
      const t = (!recheck && this.known.get(id)) || (await this.read(id));
      if (t && unexpired(t, this.now())) live.push(t);
    }
    return live;
  }

  /** The token object, or undefined once it is destroyed. */
  private async read(id: string): Promise<MirroredToken | undefined> {
    let content: Uint8Array;
    try {
      const { object } = await this.client.getObject({ objectId: id, include: { content: true } });
      content = object.content;
    } catch (e) {
      if (/not.?found|deleted|does not exist/i.test((e as Error).message)) {
        this.known.delete(id);
        return undefined;
      }
      throw e;
    }
    const cached = this.known.get(id);
    if (cached) return cached;
    const t = SealTokenBcs.parse(content);
    const token: MirroredToken = {
      id,
      owner: t.owner,
      rules: t.rules.map((r): RbacRule => ({
        verbs: r.verbs,
        apiGroups: r.api_groups,
        resources: r.resources,
        namespaces: r.namespaces,
        resourceNames: r.resource_names,
      })),
      expiresAtMs: Number(t.expires_at_ms),
    };
    this.known.set(id, token);
    return token;
  }
}
