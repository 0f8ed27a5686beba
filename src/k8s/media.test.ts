import { describe, expect, it } from 'vitest';
import { mediaFields, mediaHeaders, watchAccept, watchContentType } from './media.ts';

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

describe('watch media', () => {
  it('asks for JSON (cut at newlines) and keeps Table printing', () => {
    const kubectlGetW =
      'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    expect(watchAccept(kubectlGetW)).toBe(kubectlGetW);
    expect(watchContentType(kubectlGetW)).toBe('application/json;as=Table;v=v1;g=meta.k8s.io');
    const clientGoProto = 'application/vnd.kubernetes.protobuf, application/json';
    expect(watchAccept(clientGoProto)).toBe('application/json');
    expect(watchContentType(clientGoProto)).toBe('application/json');
    expect(watchAccept('application/vnd.kubernetes.protobuf')).toBeUndefined();
    expect(watchAccept('application/yaml')).toBeUndefined();
    expect(watchAccept('')).toBe('application/json');
    expect(watchContentType('*/*;q=0.8')).toBe('application/json');
  });
});
