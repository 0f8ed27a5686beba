// Stored answers as expectations see them: JSON parsed, kube-apiserver's protobuf decoded.
import { describe, expect, it } from 'vitest';
import { configMapPb } from '../../embedded/kube/differential/protobuf-bodies.ts';
import { readableBody } from './chain-reader.ts';

describe('readableBody', () => {
  it('parses JSON, decodes a protobuf ConfigMap, keeps other text', () => {
    expect(readableBody(Buffer.from('{"a":1}'), '{"a":1}')).toEqual({ a: 1 });
    const pb = configMapPb('big', { blob: 'xyz' });
    expect(readableBody(pb, pb.toString('utf8'))).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'big' },
      data: { blob: 'xyz' },
    });
    expect(readableBody(Buffer.from('log line\n'), 'log line\n')).toBe('log line\n');
  });
});
