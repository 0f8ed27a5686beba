import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuditLogReader, auditRecordOf } from './audit-log.ts';

const event = (over: Record<string, unknown>) =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create',
    verb: 'create',
    user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] },
    responseStatus: { metadata: {}, code: 201 },
    stageTimestamp: '2026-12-04T03:00:00.000000Z',
    ...over,
  });

describe('kube-apiserver audit log → request records', () => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('maps verb to method, keeps the query, and names the impersonator', () => {
    expect(auditRecordOf(JSON.parse(event({})) as never)).toEqual({
      time: '2026-12-04T03:00:00.000000Z',
      user: 'kubernetes-admin',
      groups: ['system:masters', 'system:authenticated'],
      verb: 'create',
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps?fieldManager=kubectl-create',
      code: 201,
    });
    const as = auditRecordOf(
      JSON.parse(event({ verb: 'list', impersonatedUser: { username: 'bob', groups: ['g'] } })) as never,
    );
    expect(as).toMatchObject({
      user: 'bob',
      groups: ['g'],
      impersonatedBy: 'kubernetes-admin',
      method: 'GET',
    });
  });

  it('reads what was appended since the last call, holding back a half-written line', () => {
    const path = join(dir, 'audit.log');
    const r = new AuditLogReader(path);
    expect(r.read()).toEqual([]); // not created yet
    appendFileSync(path, event({}) + '\n' + event({ verb: 'delete' }).slice(0, 40));
    expect(r.read().map((x) => x.method)).toEqual(['POST']);
    appendFileSync(path, event({ verb: 'delete' }).slice(40) + '\n');
    expect(r.read().map((x) => x.method)).toEqual(['POST', 'DELETE']);
  });
});
