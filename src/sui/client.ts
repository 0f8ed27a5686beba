/** The one way the product talks to Sui: SuiGrpcClient over gRPC-web. */
import { SuiGrpcClient } from '@mysten/sui/grpc';
import { createGrpcWebFetch } from './grpc-web-fetch.ts';

export type SuiNetworkName = 'mainnet' | 'testnet' | 'devnet' | 'localnet';

export function createSuiClient(url: string, network: SuiNetworkName = 'localnet'): SuiGrpcClient {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid Sui gRPC URL "${url}": expected e.g. http://127.0.0.1:9000`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`Sui gRPC URL must be http(s), got ${parsed.protocol}`);
  // Binary grpc-web: the default text format base64-encodes every message in JS (protobuf-ts),
  // a measurable cost per transaction; Sui full nodes (tonic-web) serve both formats.
  // node:http instead of the global (undici) fetch: see grpc-web-fetch.ts.
  return new SuiGrpcClient({
    network,
    baseUrl: url.replace(/\/$/, ''),
    format: 'binary',
    fetch: createGrpcWebFetch() as typeof fetch,
  });
}
