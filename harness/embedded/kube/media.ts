// Content negotiation for responses: JSON, YAML, Table and PartialObjectMetadata.
import { handlerNotAcceptable } from './negotiation.ts';

export type Shape = 'object' | 'table' | 'partial';

export interface Negotiated {
  shape: Shape;
  yaml: boolean;
  contentType: string;
}

/** Picks the first acceptable media type in the Accept header. */
export function negotiate(accept: string | undefined, allowTable: boolean): Negotiated {
  if (!accept) return { shape: 'object', yaml: false, contentType: 'application/json' };
  let sawUnsupported = false;
  for (const raw of accept.split(',')) {
    const parts = raw.split(';').map((p) => p.trim());
    const type = parts[0]!.toLowerCase();
    const params = new Map(
      parts
        .slice(1)
        .map((p) => p.split('=') as [string, string])
        .map(([k, v]) => [k?.trim(), v?.trim()]),
    );
    const as = params.get('as');
    if (
      type === 'application/json' ||
      type === '*/*' ||
      type === 'application/*' ||
      type === 'application/yaml'
    ) {
      const yaml = type === 'application/yaml';
      if (!as) return { shape: 'object', yaml, contentType: yaml ? 'application/yaml' : 'application/json' };
      if (params.get('g') !== 'meta.k8s.io') continue;
      if (as === 'Table' && allowTable)
        return {
          shape: 'table',
          yaml: false,
          contentType: `application/json;as=Table;v=${params.get('v') ?? 'v1'};g=meta.k8s.io`,
        };
      if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && !yaml)
        return {
          shape: 'partial',
          yaml: false,
          contentType: `application/json;as=${as};v=${params.get('v') ?? 'v1'};g=meta.k8s.io`,
        };
      continue;
    }
    sawUnsupported = true;
  }
  // kube-apiserver's wording (negotiation.ts); protobuf is listed although this server answers none.
  if (sawUnsupported) throw handlerNotAcceptable();
  return { shape: 'object', yaml: false, contentType: 'application/json' };
}
