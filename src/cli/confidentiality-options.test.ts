import { describe, expect, it } from 'vitest';
import { parseConfidentiality } from './confidentiality-options.ts';

const KS1 = '0x' + '51'.repeat(32);
const KS2 = '0x' + '52'.repeat(32);

describe('cluster create --confidentiality', () => {
  it('defaults to seal and then needs the key servers, naming the flags', () => {
    expect(() => parseConfidentiality({})).toThrow(/--seal-key-servers .*or --confidentiality none/);
  });

  it('seal: comma-separated key servers, threshold defaulting to all of them', () => {
    expect(parseConfidentiality({ sealKeyServers: `${KS1}, ${KS2}` })).toEqual({
      mode: 'seal',
      keyServers: [KS1, KS2],
      threshold: 2,
    });
    expect(
      parseConfidentiality({ confidentiality: 'seal', sealKeyServers: `${KS1},${KS2}`, sealThreshold: '1' }),
    ).toEqual({ mode: 'seal', keyServers: [KS1, KS2], threshold: 1 });
    expect(() => parseConfidentiality({ sealKeyServers: KS1, sealThreshold: '2' })).toThrow(
      /--seal-threshold.*between 1 and/,
    );
    expect(() => parseConfidentiality({ sealKeyServers: 'ks-1' })).toThrow(/"ks-1" is not a Sui object id/);
  });

  it('none only when asked for, and without Seal flags', () => {
    expect(parseConfidentiality({ confidentiality: 'none' })).toEqual({ mode: 'none' });
    expect(() => parseConfidentiality({ confidentiality: 'none', sealKeyServers: KS1 })).toThrow(
      /apply to --confidentiality seal only/,
    );
    expect(() => parseConfidentiality({ confidentiality: 'clear' })).toThrow(
      /must be none or seal, got "clear"/,
    );
  });
});
