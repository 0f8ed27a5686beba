import { describe, expect, it } from 'vitest';
import type { SuiClientTypes } from '@mysten/sui/client';
import { statusForExecutionError, type AbortLookup } from './abort-status.ts';

const table: AbortLookup = (code) =>
  ({
    5: { name: 'EPermissionDenied', httpStatus: 403, reason: 'Forbidden', message: 'the SealToken has no rule allowing this request' },
    2: { name: 'ETokenRevoked', httpStatus: 401, reason: 'Unauthorized', message: 'the SealToken was revoked' },
  })[code];

function abort(code: string, module = 'k8s_gateway'): SuiClientTypes.ExecutionError {
  return { message: 'MoveAbort', $kind: 'MoveAbort', MoveAbort: { abortCode: code, location: { module, functionName: 'execute_kubectl_command_with_id' } } } as SuiClientTypes.ExecutionError;
}

describe('statusForExecutionError', () => {
  it('maps a known abort to its HTTP status, naming the check and the digest', () => {
    const s = statusForExecutionError(abort('5'), table, { digest: 'DIG123', module: 'k8s_gateway', detail: 'create pods in default' });
    expect(s).toMatchObject({ code: 403, reason: 'Forbidden', kind: 'Status' });
    expect(s.message).toContain('EPermissionDenied');
    expect(s.message).toContain('create pods in default');
    expect(s.message).toContain('DIG123');
  });
  it('401 for a revoked token', () => {
    expect(statusForExecutionError(abort('2'), table, { digest: 'D', module: 'k8s_gateway' }).code).toBe(401);
  });
  it('an abort from another module is not read through our table', () => {
    const s = statusForExecutionError(abort('5', 'balance'), table, { digest: 'D', module: 'k8s_gateway' });
    expect(s.code).toBe(500);
    expect(s.message).toContain('balance');
  });
  it('unknown code → 500 with the code', () => {
    expect(statusForExecutionError(abort('999'), table, { digest: 'D', module: 'k8s_gateway' }).message).toContain('999');
  });
  it('size errors → 413', () => {
    const e = { message: 'x', $kind: 'SizeError', SizeError: { name: 'MoveObjectTooBig', size: 300000, maxSize: 256000 } } as SuiClientTypes.ExecutionError;
    expect(statusForExecutionError(e, table, { digest: 'D', module: 'k8s_gateway' }).code).toBe(413);
  });
});
