// Standalone embedded API server: prints the URL and kubeconfig path, runs until Ctrl-C.
import { Command } from 'commander';
import { startEmbeddedKube } from './server.ts';

const program = new Command('embedded-kube')
  .description('Run the embedded Kubernetes API server (HTTPS, throw-away CA)')
  .option('--port <port>', 'port to listen on (0 = any free port)', '0')
  .option('--host <host>', 'address to bind', '127.0.0.1')
  .option('--http', 'serve plain HTTP instead of HTTPS (kubectl then cannot send tokens)')
  .option('--rbac', 'switch the RBAC authorizer on')
  .option('--nodes <names>', 'comma-separated simulated node names', 'embedded-node-1')
  .option('--dir <dir>', 'directory for the kubeconfig (default: a temp dir removed on exit)');

program.parse();
const o = program.opts<{
  port: string;
  host: string;
  http?: boolean;
  rbac?: boolean;
  nodes: string;
  dir?: string;
}>();
const port = Number(o.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`invalid --port "${o.port}": give a number between 0 and 65535`);
  process.exit(2);
}
const kube = await startEmbeddedKube({
  port,
  host: o.host,
  protocol: o.http ? 'http' : 'https',
  rbac: o.rbac,
  nodes: o.nodes.split(',').filter(Boolean),
  dir: o.dir,
});
console.log(`embedded Kubernetes API server at ${kube.url}`);
console.log(`kubeconfig: ${kube.kubeconfig}`);
console.log(`try: KUBECONFIG=${kube.kubeconfig} kubectl get nodes`);
const shutdown = async (): Promise<void> => {
  await kube.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
