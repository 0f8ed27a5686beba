import { describe, expect, it } from 'vitest';
import { decodeMediaField, encodeMediaField } from './media.ts';

describe('media field convention', () => {
  it('carries the body content type for writes', () => {
    const f = encodeMediaField(true, 'application/strategic-merge-patch+json', 'application/json');
    expect(f).toBe('application/strategic-merge-patch+json');
    expect(decodeMediaField(f, true)).toEqual({
      contentType: 'application/strategic-merge-patch+json',
      accept: 'application/json',
    });
  });
  it('carries Accept for body-less reads (server-side Table printing)', () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const f = encodeMediaField(false, undefined, accept);
    expect(decodeMediaField(f, false)).toEqual({ accept });
  });
  it('drops control characters and oversize values', () => {
    expect(encodeMediaField(false, undefined, 'a\r\nInjected: 1')).toBe('');
    expect(encodeMediaField(true, 'x'.repeat(5000), undefined)).toBe('application/json');
    expect(decodeMediaField('accept=\u0001', false)).toEqual({ accept: 'application/json' });
  });
});
