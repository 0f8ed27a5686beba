/** Reads a Cluster's confidentiality setting from the chain (what every party follows). */
import type { SuiGrpcClient } from '@mysten/sui/grpc';
import { ClusterBcs, clusterConfidentiality, type ClusterConfidentiality } from '../contract/index.ts';
import { SealFailure } from './seal-failure.ts';

export function clusterSettingReader(
  client: SuiGrpcClient,
  clusterId: string,
): () => Promise<ClusterConfidentiality> {
  return async () => {
    try {
      const { object } = await client.getObject({ objectId: clusterId, include: { content: true } });
      return clusterConfidentiality(ClusterBcs.parse(object.content));
    } catch (e) {
      // Unknown is not "none": nothing is sent until the setting is known.
      throw new SealFailure(
        'unavailable',
        `cannot read the confidentiality setting of cluster ${clusterId}: ${(e as Error).message}`,
      );
    }
  };
}
