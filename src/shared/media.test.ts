import { describe, expect, it } from 'vitest';
import { mediaFields, mediaHeaders } from './media.ts';

describe('media fields', () => {
  it('records the body content type and the Accept header of a write', () => {
    const f = mediaFields(true, 'application/strategic-merge-patch+json', 'application/yaml');
    expect(f).toEqual({ contentType: 'application/strategic-merge-patch+json', accept: 'application/yaml' });
    expect(mediaHeaders(f, true)).toEqual({
      contentType: 'application/strategic-merge-patch+json',
      accept: 'application/yaml',
    });
  });
  it('carries Accept for body-less reads (server-side Table printing)', () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const f = mediaFields(false, undefined, accept);
    expect(f).toEqual({ contentType: '', accept });
    expect(mediaHeaders(f, false)).toEqual({ accept });
  });
  it('defaults to JSON and drops control characters and oversize values', () => {
    expect(mediaFields(false, undefined, 'a\r\nInjected: 1')).toEqual({ contentType: '', accept: '' });
    expect(mediaFields(true, 'x'.repeat(5000), undefined)).toEqual({
      contentType: 'application/json',
      accept: '',
    });
    expect(mediaHeaders({ contentType: '', accept: '\u0001' }, false)).toEqual({
      accept: 'application/json',
    });
    expect(mediaHeaders({ contentType: 'a\nb', accept: '' }, true)).toEqual({
      contentType: 'application/json',
      accept: 'application/json',
    });
  });
});
