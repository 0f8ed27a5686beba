/** A GatewayServer on loopback with one identity ("alice") over a given ChainPort, for unit tests. */
import { pino } from 'pino';
import { GatewayServer, type GatewayOptions } from '../server.ts';
import type { ChainPort } from '../chain-port.ts';
import { IdentityStore, newBearerToken } from '../../shared/identities.ts';
import { createThrowawayTls, type TlsMaterial } from '../../shared/tls.ts';

export interface TestGateway {
  gw: GatewayServer;
  tls: TlsMaterial;
  /** alice's bearer token */
  token: string;
  base: { host: string; port: number };
}

export async function startTestGateway(
  chain: ChainPort,
  extra: Partial<Omit<GatewayOptions, 'chain' | 'identities' | 'tls' | 'logger'>> = {},
): Promise<TestGateway> {
  const tls = await createThrowawayTls();
  const token = newBearerToken();
  const ids = new IdentityStore();
  ids.upsert({ name: 'alice', token, address: '0xa11ce', sealTokenId: '0x5ea1', clusterId: '0xc1' });
  const gw = new GatewayServer({ chain, identities: ids, tls, logger: pino({ level: 'silent' }), ...extra });
  const l = await gw.listen();
  return { gw, tls, token, base: { host: l.host, port: l.port } };
}
