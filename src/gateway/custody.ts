/**
 * Whose keys a gateway may hold. The default deployment is non-custodial: one gateway per user on
 * loopback (as `kubectl proxy`), holding only that user's key in a keystore of its own (0600). A
 * gateway that signs for several users is custodial — whoever controls its host is every one of
 * them — so it must be asked for (`k3s-daas gateway --shared`) and says so when it starts.
 */
import type { Identity } from '../shared/identities.ts';
import { normalizeAddress } from '../sui/keystore.ts';

export interface CustodyInput {
  /** `--shared`: a multi-user, custodial gateway was asked for. */
  shared: boolean;
  host: string;
  keystorePath: string;
  /** Permission bits of the keystore file (stat mode & 0o777). */
  keystoreMode: number;
  /** Addresses of the keys in the keystore. */
  keys: readonly string[];
  identities: readonly Identity[];
}

export type CustodyVerdict =
  | { ok: true; shared: false; user: string }
  | { ok: true; shared: true; users: string[] }
  | { ok: false; reason: string };

const SHARED_HINT =
  "run one gateway per user, each with a keystore holding only that user's key (k3s-daas token issue --new-key --recipient-keystore <file>), or ask for a shared, custodial gateway with --shared";

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function checkGatewayCustody(i: CustodyInput): CustodyVerdict {
  if ((i.keystoreMode & 0o077) !== 0)
    return {
      ok: false,
      reason: `keystore ${i.keystorePath} is readable by others (mode ${(i.keystoreMode & 0o777).toString(8).padStart(4, '0')}): it holds private keys; run "chmod 600 ${i.keystorePath}"`,
    };
  const keys = i.keys.map(normalizeAddress);
  if (i.shared) return { ok: true, shared: true, users: keys };
  if (!isLoopback(i.host))
    return {
      ok: false,
      reason: `a per-user gateway listens on loopback only (got --host ${i.host}): anyone who reaches it with the bearer token signs as its user; use --host 127.0.0.1, or --shared for a custodial gateway that serves others`,
    };
  if (keys.length === 0)
    return {
      ok: false,
      reason: `keystore ${i.keystorePath} holds no key: put the user's key there (k3s-daas token issue --new-key --recipient-keystore ${i.keystorePath}) or pass --keystore`,
    };
  if (keys.length > 1)
    return {
      ok: false,
      reason: `keystore ${i.keystorePath} holds ${keys.length} keys (${keys.join(', ')}): a gateway holds one user's key unless it is shared, and a shared gateway is custodial (it can act as every user whose key it holds); ${SHARED_HINT}`,
    };
  const user = keys[0]!;
  const others = i.identities.filter((id) => normalizeAddress(id.address) !== user);
  if (others.length > 0)
    return {
      ok: false,
      reason: `identities ${others.map((o) => `"${o.name}" (${normalizeAddress(o.address)})`).join(', ')} are not ${user}, the one user this gateway's keystore holds a key for; ${SHARED_HINT}`,
    };
  return { ok: true, shared: false, user };
}

/** The startup banner's custody line: what this gateway can sign for. */
export function custodyBanner(v: Extract<CustodyVerdict, { ok: true }>): string {
  return v.shared
    ? `SHARED, CUSTODIAL gateway: it holds the keys of ${v.users.length} user(s) (${v.users.join(', ') || 'none yet'}) and signs for each of them; whoever controls this host can act as every one of them`
    : `per-user gateway (non-custodial): it holds only the key of ${v.user} and signs only for it`;
}
