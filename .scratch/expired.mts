import { startE2EStack } from '../harness/e2e/e2e-stack.ts';
const ALL = { verbs: ['*'], apiGroups: ['*'], resources: ['*'], namespaces: ['*'], resourceNames: [] };
const s = await startE2EStack([{ name: 'late', rules: [ALL], stake: 1_000_000n }]);
await s.startListener(0);
try {
  s.g.keyServers!.servers.forEach((k) => k.refuse('ExpiredSessionKey'));
  const t0 = Date.now();
  const r = await s.kubectl('late', ['get', '--raw', '/api/v1/namespaces/default/configmaps']);
  console.log(Date.now() - t0, 'ms', r.exitCode, r.stdout.slice(0, 300), r.stderr.slice(0, 800));
  console.log(JSON.stringify(s.g.keyServers!.servers.map((k) => k.server.stats.refused)));
} finally {
  await s.stop();
}
