/**
 * Confidentiality end to end (issue #17): real kubectl → gateway → k8s_gateway on the embedded
 * Sui node → listener → embedded Kubernetes. Planted plaintexts — a Secret value, a ConfigMap
 * value, a pod env value — go in with create/apply and come back with get -o yaml; then an
 * unrelated reader (no key, no token) walks every transaction, event and object on the chain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ALL, startE2EStack, type E2EStack } from './e2e-stack.ts';
import { findPlaintexts, readWholeChain } from './chain-reader.ts';

const tag = randomBytes(4).toString('hex');
const SECRET = `hunter2-${tag}`;
const CONFIG = `cfg-value-${tag}`;
const ENV = `env-value-${tag}`;

const POD = `apiVersion: v1
kind: Pod
metadata: { name: app }
spec:
  containers:
    - name: app
      image: busybox:1.36
      env:
        - { name: TOKEN, value: "${ENV}" }
`;

let s: E2EStack;

beforeAll(async () => {
  s = await startE2EStack([{ name: 'owner', rules: [ALL], stake: 1_000_000n }]);
  await s.startListener(0);
}, 300_000);

afterAll(async () => {
  await s?.stop();
}, 60_000);

describe('an unrelated reader of the whole chain', () => {
  it('finds none of the planted plaintexts after a Secret, a ConfigMap and a pod env travelled through the gateway', async () => {
    const steps: string[][] = [
      ['create', 'secret', 'generic', 's', `--from-literal=password=${SECRET}`, '-n', 'default'],
      ['create', 'configmap', 'c', `--from-literal=key=${CONFIG}`, '-n', 'default'],
      ['get', 'secret', 's', '-o', 'yaml', '-n', 'default'],
      ['get', 'configmap', 'c', '-o', 'json', '-n', 'default'],
    ];
    for (const args of steps) {
      const r = await s.kubectl('owner', args);
      expect(r.exitCode, `kubectl ${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    const applied = await s.kubectl('owner', ['apply', '-f', '-', '-n', 'default'], { input: POD });
    expect(applied.exitCode, applied.stderr).toBe(0);
    const pod = await s.kubectl('owner', ['get', 'pod', 'app', '-o', 'yaml', '-n', 'default']);
    expect(pod.exitCode, pod.stderr).toBe(0);
    // kubectl itself still sees the plaintexts: the requester may read its own answers.
    const secret = await s.kubectl('owner', ['get', 'secret', 's', '-o', 'jsonpath={.data.password}', '-n', 'default']);
    expect(Buffer.from(secret.stdout, 'base64').toString()).toBe(SECRET);
    expect(pod.stdout).toContain(ENV);

    const blobs = await readWholeChain(s.client);
    expect(blobs.length).toBeGreaterThan(20);
    const findings = findPlaintexts(blobs, [SECRET, CONFIG, ENV]);
    expect(findings, findings.map((f) => `${f.needle} in ${f.where}`).join('\n')).toEqual([]);
  });
});
