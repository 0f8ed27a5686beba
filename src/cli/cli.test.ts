import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { parse } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node';
import type { Command } from 'commander';
import { buildProgram } from './program.ts';
import { parseRule, parseRules, formatRule } from './rules.ts';
import { parseDuration, parseSui, CliError } from './context.ts';
import { buildKubeconfig, execCredential } from './commands/access.ts';
import { formatAuditTable } from './commands/audit.ts';

function allCommands(c: Command, prefix = ''): Array<[string, Command]> {
  const name = prefix ? `${prefix} ${c.name()}` : c.name();
  return [[name, c], ...c.commands.flatMap((s) => allCommands(s, name))];
}

describe('k3s-daas CLI', () => {
  it('every command has a description and --help text', () => {
    const cmds = allCommands(buildProgram());
    const names = cmds.map(([n]) => n);
    for (const expected of [
      'k3s-daas gateway',
      'k3s-daas nautilus',
      'k3s-daas cluster create',
      'k3s-daas token issue',
      'k3s-daas token stake',
      'k3s-daas token unstake',
      'k3s-daas token revoke',
      'k3s-daas token show',
      'k3s-daas identity fund',
      'k3s-daas identity new-key',
      'k3s-daas executor register',
      'k3s-daas executor deregister',
      'k3s-daas kubeconfig',
      'k3s-daas credential',
      'k3s-daas audit',
    ]) {
      expect(names).toContain(expected);
    }
    for (const [name, c] of cmds) {
      expect(c.description(), name).not.toBe('');
      expect(c.helpInformation(), name).toMatch(/Usage: /);
    }
  });

  it('bin/k3s-daas.js runs the TypeScript entry (--help)', async () => {
    const r = await execa('node', ['bin/k3s-daas.js', 'token', '--help'], { reject: false });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('issue');
    expect(r.stdout).toContain('revoke');
  }, 60_000);

  it('a missing setting is named with the flag and env var', async () => {
    const r = await execa('node', ['bin/k3s-daas.js', 'audit'], {
      reject: false,
      env: { K3S_DAAS_GRPC_URL: '' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/missing --grpc-url: pass --grpc-url or set K3S_DAAS_GRPC_URL/);
  }, 60_000);

  it('says the Sui node is unreachable, where, and which flag sets it', async () => {
    const r = await execa(
      'node',
      [
        'bin/k3s-daas.js',
        'audit',
        '--grpc-url',
        'http://127.0.0.1:9',
        '--package',
        '0x1',
        '--cluster',
        '0x2',
      ],
      { reject: false },
    );
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(
      /^k3s-daas: cannot reach the Sui full node: .*http:\/\/127\.0\.0\.1:9\/.*ECONNREFUSED.*Check --grpc-url \(env K3S_DAAS_GRPC_URL\)/,
    );
  }, 60_000);

  it('parses compact and JSON rules', () => {
    expect(parseRule('verbs=get,list;groups=,apps;resources=pods,deployments;namespaces=default')).toEqual({
      verbs: ['get', 'list'],
      apiGroups: ['', 'apps'],
      resources: ['pods', 'deployments'],
      namespaces: ['default'],
      resourceNames: [],
    });
    expect(
      parseRules(['[{"verbs":["*"],"apiGroups":["*"],"resources":["*"],"namespaces":["*"]}]'])[0]!
        .resourceNames,
    ).toEqual([]);
    expect(() => parseRule('verbs=get')).toThrow(CliError);
    expect(() => parseRule('color=blue;verbs=get;resources=pods')).toThrow(/unknown rule key/);
    expect(
      formatRule({
        verbs: ['get'],
        apiGroups: [''],
        resources: ['pods'],
        namespaces: ['*'],
        resourceNames: [],
      }),
    ).toBe('verbs=get groups="" resources=pods namespaces=* names=(any)');
  });

  it('parses amounts and durations with clear errors', () => {
    expect(parseSui('1.5sui', 'x')).toBe(1_500_000_000n);
    expect(parseSui('42', 'x')).toBe(42n);
    expect(parseSui('2 SUI', 'x')).toBe(2_000_000_000n);
    expect(() => parseSui('lots', '--stake')).toThrow(/--stake must be an amount/);
    expect(parseDuration('90s', 'x')).toBe(90_000);
    expect(parseDuration('7d', 'x')).toBe(604_800_000);
    expect(() => parseDuration('soon', '--timeout')).toThrow(/--timeout must be a duration/);
  });

  it('writes a kubeconfig that @kubernetes/client-node loads (token and exec variants)', () => {
    const yaml = buildKubeconfig({
      server: 'https://127.0.0.1:6443',
      caPem: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n',
      user: 'alice',
      token: 'k3sdaas_t',
    });
    const kc = new KubeConfig();
    kc.loadFromString(yaml);
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(kc.getCurrentUser()?.token).toBe('k3sdaas_t');
    const exec = parse(
      buildKubeconfig({
        server: 'https://h:1',
        caPem: 'x',
        user: 'bob',
        exec: { command: 'npx', args: ['k3s-daas', 'credential'] },
      }),
    ) as { users: Array<{ user: { exec: { apiVersion: string } } }> };
    expect(exec.users[0]!.user.exec.apiVersion).toBe('client.authentication.k8s.io/v1');
  });

  it('prints an ExecCredential', () => {
    expect(execCredential('tok', new Date('2030-01-01T00:00:00.123Z'))).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1',
      kind: 'ExecCredential',
      status: { token: 'tok', expirationTimestamp: '2030-01-01T00:00:00Z' },
    });
  });

  it('credential command reads the token file and prints the credential', async () => {
    const { writeFile, mkdtemp } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'cred-'));
    await writeFile(join(dir, 't'), 'k3sdaas_abc\n');
    const r = await execa('node', ['bin/k3s-daas.js', 'credential', '--token-file', join(dir, 't')]);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'ExecCredential', status: { token: 'k3sdaas_abc' } });
  }, 60_000);

  it('formats the audit table', () => {
    const t = formatAuditTable([
      {
        requestId: 'r',
        requestObjectId: '0x1',
        time: '2026-01-01T00:00:00.000Z',
        requester: '0xabcdef0123456789',
        verb: 'create',
        resource: 'pods',
        namespace: 'default',
        name: '',
        requestTx: 'Dig1',
        status: 201,
        executor: '0xe',
        responseTx: 'Dig2',
      },
    ]);
    expect(t.split('\n')[0]).toMatch(/^TIME\s+REQUESTER\s+VERB/);
    expect(t).toContain('201');
  });
});
