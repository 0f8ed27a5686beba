import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatMoveAbortMessage, SimulationError, type SuiClientTypes } from '@mysten/sui/client';
import { describe, expect, it } from 'vitest';
import { ABORTS, abortByName, abortToStatus, contractAbort, lookupAbort, parseMoveAbort } from './aborts.ts';
import {
  AbortSourceError,
  GENERATED_FILE,
  generateAbortTable,
  MOVE_SOURCE,
  parseAborts,
} from './gen-aborts.ts';

const PKG = '0x' + 'ab'.repeat(32);
/** Kubernetes StatusReason values (k8s.io/apimachinery/pkg/apis/meta/v1/types.go). */
const K8S_REASONS = new Set([
  'Unauthorized',
  'Forbidden',
  'NotFound',
  'AlreadyExists',
  'Conflict',
  'Gone',
  'Invalid',
  'ServerTimeout',
  'Timeout',
  'TooManyRequests',
  'BadRequest',
  'MethodNotAllowed',
  'NotAcceptable',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'InternalError',
  'Expired',
  'ServiceUnavailable',
]);

describe('abort table', () => {
  it('is in sync with the Move source (regenerated in memory)', async () => {
    expect(await generateAbortTable()).toBe(readFileSync(GENERATED_FILE, 'utf8'));
  });

  it('covers every abort constant of k8s_gateway.move with a valid Kubernetes reason', () => {
    const source = readFileSync(MOVE_SOURCE, 'utf8');
    const constants = [...source.matchAll(/^const (E\w+): u64 = (\d+);/gm)].map((m) => m[1]);
    expect(constants.length).toBeGreaterThanOrEqual(26);
    expect(Object.values(ABORTS).map((a) => a.name)).toEqual(constants);
    for (const a of Object.values(ABORTS)) {
      expect(K8S_REASONS.has(a.reason), `${a.name}: ${a.reason}`).toBe(true);
      expect([400, 401, 403, 409, 413, 503]).toContain(a.httpStatus);
      expect(a.message.length).toBeGreaterThan(10);
    }
  });

  it('is documented row by row in move/k8s_gateway/README.md (the ABI reference)', () => {
    const readme = readFileSync(path.resolve(path.dirname(MOVE_SOURCE), '..', 'README.md'), 'utf8');
    for (const a of Object.values(ABORTS)) {
      expect(readme).toContain(`| ${a.code} | \`${a.name}\` | ${a.httpStatus} ${a.reason} | ${a.message} |`);
    }
  });

  it('maps the documented classes of failure', () => {
    expect(abortByName('ETokenExpired')).toMatchObject({ httpStatus: 401, reason: 'Unauthorized' });
    expect(abortByName('ETokenRevoked')).toMatchObject({ httpStatus: 401 });
    expect(abortByName('EPermissionDenied')).toMatchObject({ httpStatus: 403, reason: 'Forbidden' });
    expect(abortByName('EInsufficientStake')).toMatchObject({ httpStatus: 403 });
    expect(abortByName('EPayloadTooLarge')).toMatchObject({
      httpStatus: 413,
      reason: 'RequestEntityTooLarge',
    });
    expect(abortByName('EHoldTimeExceeded')).toMatchObject({ httpStatus: 409, reason: 'Conflict' });
    expect(abortByName('EBadAnswerSignature')).toMatchObject({ httpStatus: 403, reason: 'Forbidden' });
    expect(abortByName('EPaused')).toMatchObject({ httpStatus: 503 });
  });

  it('abortToStatus gives a Kubernetes Status; unknown codes are 500', () => {
    const denied = abortByName('EPermissionDenied')!;
    const status = abortToStatus(denied.code, 'get pods in kube-system');
    expect(status).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      code: 403,
      reason: 'Forbidden',
    });
    expect(status.message).toContain('get pods in kube-system');
    expect(status.details?.causes[0]?.reason).toBe('EPermissionDenied');
    expect(abortToStatus(9999)).toMatchObject({ code: 500, reason: 'InternalError' });
    expect(lookupAbort(0)).toBeUndefined();
    expect(lookupAbort(Number('constructor'))).toBeUndefined();
  });
});

describe('parseAborts', () => {
  it('names file and line of an abort without @status', () => {
    const src =
      '/// @status 403 Forbidden: ok\nconst EOk: u64 = 1;\n/// just a comment\nconst EBad: u64 = 2;\n';
    expect(() => parseAborts(src, 'x.move')).toThrow(AbortSourceError);
    expect(() => parseAborts(src, 'x.move')).toThrow(/x\.move:4: abort EBad/);
  });
  it('refuses two constants with one code', () => {
    const src =
      '/// @status 400 BadRequest: a\nconst EA: u64 = 1;\n/// @status 400 BadRequest: b\nconst EB: u64 = 1;\n';
    expect(() => parseAborts(src)).toThrow(/used by both EA and EB/);
  });
});

const denyCode = abortByName('EPermissionDenied')!.code;

function executionError(module: string, code: number): SuiClientTypes.ExecutionError {
  const location = { package: PKG, module, functionName: 'execute_kubectl_command_with_id', instruction: 42 };
  return {
    $kind: 'MoveAbort',
    message: formatMoveAbortMessage({ command: 0, location, abortCode: String(code) }),
    command: 0,
    MoveAbort: { abortCode: String(code), location },
  } as SuiClientTypes.ExecutionError;
}

describe('parseMoveAbort', () => {
  it('reads the structured ExecutionError of @mysten/sui 2.x', () => {
    expect(parseMoveAbort(executionError('k8s_gateway', denyCode))).toEqual({
      code: denyCode,
      package: PKG,
      module: 'k8s_gateway',
      functionName: 'execute_kubectl_command_with_id',
    });
  });

  it('reads a FailedTransaction result and a SimulationError', () => {
    const failed = {
      $kind: 'FailedTransaction',
      FailedTransaction: { status: { success: false, error: executionError('k8s_gateway', 16) } },
    };
    expect(parseMoveAbort(failed)?.code).toBe(16);
    const sim = new SimulationError('dry run failed', { executionError: executionError('k8s_gateway', 4) });
    expect(parseMoveAbort(sim)?.code).toBe(4);
  });

  it("reads the SDK's formatted message text", () => {
    const text = executionError('k8s_gateway', 12).message;
    expect(text).toContain('abort code: 12');
    expect(parseMoveAbort(new Error(`Transaction failed: ${text}`))).toMatchObject({
      code: 12,
      module: 'k8s_gateway',
    });
  });

  it("reads the node's raw MoveAbort string", () => {
    const raw =
      'MoveAbort(MoveLocation { module: ModuleId { address: ' +
      'ab'.repeat(32) +
      ', name: Identifier("k8s_gateway") }, function: 12, instruction: 45, function_name: Some("claim_request") }, 16) in command 0';
    expect(parseMoveAbort(raw)).toEqual({
      code: 16,
      package: PKG,
      module: 'k8s_gateway',
      functionName: 'claim_request',
    });
  });

  it('returns undefined for failures that are not Move aborts', () => {
    expect(
      parseMoveAbort({
        $kind: 'SizeError',
        message: 'too big',
        SizeError: { name: 'x', size: 2, maxSize: 1 },
      }),
    ).toBeUndefined();
    expect(parseMoveAbort(new Error('InsufficientGas'))).toBeUndefined();
    expect(parseMoveAbort(undefined)).toBeUndefined();
  });
});

describe('contractAbort', () => {
  it('resolves aborts of k8s_gateway only', () => {
    expect(contractAbort(executionError('k8s_gateway', denyCode))).toMatchObject({
      name: 'EPermissionDenied',
      httpStatus: 403,
    });
    // Code 3 in sui::test_scenario or coin is not our ETokenRevoked.
    expect(contractAbort(executionError('coin', 3))).toBeUndefined();
    expect(contractAbort(executionError('k8s_gateway', denyCode), { packageId: PKG })).toBeDefined();
    expect(contractAbort(executionError('k8s_gateway', denyCode), { packageId: '0x2' })).toBeUndefined();
  });
});
