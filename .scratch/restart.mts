import { startStack } from '../harness/stack.ts';
import { execa } from 'execa';
const ALL = { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], resourceNames: [] };
const s = await startStack({ identities: [{ name: 'dev', rules: [ALL], stakeMist: 1_000_000_000n }] });
const kc = s.identity('dev').kubeconfigPath;
const k = (args: string[]) => execa('kubectl', ['--kubeconfig', kc, ...args], { reject: false, timeout: 90_000 });
try {
  console.log((await k(['create', 'configmap', 'before', '--from-literal=a=1'])).stdout);
  await s.listener.stop();
  const during = k(['create', 'configmap', 'during', '--from-literal=a=2']);
  await new Promise((r) => setTimeout(r, 3000));
  await s.listener.start();
  const r = await during;
  console.log('during:', r.exitCode, r.stdout, r.stderr.slice(0, 500));
} finally {
  const logs = (s.listener as unknown as { logs(): string }).logs();
  console.log(logs.split('\n').filter((l) => /warn|error|"level":[45]/.test(l)).slice(-15).join('\n'));
  await s.stop();
}
